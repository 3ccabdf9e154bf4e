package jwg.routing;

import java.io.IOException;
import java.util.List;

import jwg.netlink.Rtnetlink;
import jwg.sys.ErrnoException;
import jwg.sys.Libc;

/** What every step of up and down works with: the configuration, the interface, and the means. */
record Context(WgQuickSpec spec, int ifIndex, DeviceControl device, Rtnetlink rtnl, Processes processes, Host host,
        CommandLog log) {

    /** A step done through rtnetlink; it may also fail with a {@link WgQuickException} of its own. */
    @FunctionalInterface
    interface NetlinkStep {
        void run() throws IOException;
    }

    String name() {
        return spec.interfaceName();
    }

    /** wg-quick's {@code cmd ip ...}: prints the ip command, then does what it does through rtnetlink. */
    void ip(String command, NetlinkStep step) throws WgQuickException {
        log.command(command);
        try {
            step.run();
        } catch (ErrnoException e) {
            throw new WgQuickException("`" + command + "' failed: " + Libc.strerror(e.errno()));
        } catch (WgQuickException e) {
            throw e;
        } catch (IOException e) {
            throw new WgQuickException("`" + command + "' failed: " + e.getMessage());
        }
    }

    /** wg-quick's {@code cmd PROGRAM ...}: prints the command, then runs it with {@code input} (or none). */
    void run(List<String> command, String input) throws WgQuickException {
        log.command(String.join(" ", command));
        processes.run(command, input);
    }
}
