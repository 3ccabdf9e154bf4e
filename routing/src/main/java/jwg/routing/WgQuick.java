package jwg.routing;

import java.io.IOException;
import java.util.Set;
import java.util.function.Consumer;

import jwg.netlink.Rtnetlink;
import jwg.sys.ErrnoException;

/**
 * What wg-quick does around a WireGuard interface (src/wg-quick/linux.bash), for jwg's own
 * interface: addresses, MTU, DNS, routes, the fwmark policy routing and firewall of a default
 * route, hooks; and all of it undone by {@link Session#down}. Each step is printed to the log as
 * wg-quick prints it ("[#] ip -4 rule add not fwmark 51820 table 51820"); routes, rules,
 * addresses and links go through rtnetlink, nft, resolvconf and hooks are run as programs.
 * <p>
 * wg-quick's cmd_up is: add_if, PreUp hooks, set_config, then {@link #up}. The caller creates the
 * interface and configures the device (add_if, set_config) and calls {@link #preUp} between them.
 * Call on a thread in the interface's network namespace.
 */
public final class WgQuick {
    private WgQuick() {}

    /**
     * What marks jwg's own background process, which the command line starts with them: the
     * programs these steps run (the hooks above all) do not inherit them, as under wg-quick, whose
     * hooks run from the user's shell. A PostUp that runs wireguard-go or `jwg up` for another
     * interface would otherwise stay in the foreground (WG_PROCESS_FOREGROUND) and never end.
     */
    public static final Set<String> DAEMON_ENVIRONMENT = Set.of("WG_PROCESS_FOREGROUND", "JWG_BACKGROUND_CHILD", "JWG_UP");

    /** The PreUp hooks, with "%i" expanded; the first that fails stops them. */
    public static void preUp(WgQuickSpec spec, Consumer<String> log) throws WgQuickException {
        preUp(spec, log, Host.system());
    }

    static void preUp(WgQuickSpec spec, Consumer<String> log, Host host) throws WgQuickException {
        HookRunner.run(new Processes(host), new CommandLog(log), spec.interfaceName(), "PreUp", spec.hooks().preUp());
    }

    /**
     * The rest of cmd_up for the interface {@code ifIndex}: addresses, MTU and link up, DNS,
     * routes, PostUp. First removes what a crashed earlier run of the same interface in this
     * network namespace left behind, and says so in the log.
     *
     * @throws WgQuickException a step failed; everything done was undone first, including
     *     {@link DeviceControl#delete}, as wg-quick's trap does (no PreDown/PostDown)
     */
    public static Session up(WgQuickSpec spec, int ifIndex, DeviceControl device, Consumer<String> log)
            throws WgQuickException {
        return up(spec, ifIndex, device, log, Host.system());
    }

    static Session up(WgQuickSpec spec, int ifIndex, DeviceControl device, Consumer<String> log, Host host)
            throws WgQuickException {
        Rtnetlink rtnl;
        try {
            rtnl = Rtnetlink.open();
        } catch (ErrnoException e) {
            // Nothing done yet; del_if comes down to deleting the interface.
            new CommandLog(log).command("ip link delete dev " + spec.interfaceName());
            try {
                device.delete();
            } catch (IOException deleteFailed) {
                e.addSuppressed(deleteFailed);
            }
            throw new WgQuickException("rtnetlink: " + e.getMessage());
        }
        return Session.up(new Context(spec, ifIndex, device, rtnl, new Processes(host), host, new CommandLog(log)));
    }
}
