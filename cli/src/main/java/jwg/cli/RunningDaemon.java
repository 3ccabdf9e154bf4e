package jwg.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import jwg.cli.posix.Posix;
import jwg.cli.uapi.UapiServer;
import jwg.sys.ErrnoException;

/**
 * The background process of a `jwg up`, found for `jwg down`. Its pid comes from its UAPI
 * socket, /var/run/wireguard/IF.sock: SO_PEERCRED of a connection names the process that called
 * listen(2) on it, which for a `jwg up` daemon is the daemon itself, alive and serving the
 * interface now (a pid file could be stale, or name a reused pid). That it is a `jwg up` daemon, which undoes wg-quick's steps when
 * it stops, and not `jwg IF` under wg-quick or wireguard-go (whose SIGTERM would leave rules and
 * firewall behind), its environment says: `jwg up` starts it with {@link #MARK}=IF.
 */
record RunningDaemon(ProcessHandle process) {
    static final String MARK = "JWG_UP"; // in WgQuick.DAEMON_ENVIRONMENT: the daemon's hooks do not inherit it

    /** The daemon of interface name, or a UserError in wg-quick's words when there is none. */
    static RunningDaemon of(String name) throws UserError {
        int pid;
        try {
            pid = Posix.peerPid(UapiServer.socketPath(name));
        } catch (ErrnoException e) {
            throw absent(name);
        }
        Optional<ProcessHandle> process = ProcessHandle.of(pid);
        if (process.isEmpty() || !marked(pid, name)) {
            // wireguard-go's background process listens on the socket its parent made: that pid is gone
            throw new UserError("`" + name + "' is not run by `jwg up' (its UAPI socket was made by process " + pid
                    + process.map(p -> ", " + p.info().command().orElse("?")).orElse(", which has exited")
                    + "): stop it as it was started (wg-quick down, systemctl stop)");
        }
        return new RunningDaemon(process.get());
    }

    /** The error for an interface without a UAPI socket that listens: not WireGuard, or the kernel's. */
    static UserError absent(String name) {
        return isKernelWireGuard(name)
                ? new UserError("`" + name + "' is a kernel WireGuard interface, not run by jwg (wg-quick works on it)")
                : new UserError("`" + name + "' is not a WireGuard interface");
    }

    /** Whether the environment process pid started with holds MARK=name. */
    private static boolean marked(int pid, String name) {
        try {
            byte[] environ = Files.readAllBytes(Path.of("/proc", Integer.toString(pid), "environ"));
            return Arrays.asList(new String(environ, StandardCharsets.UTF_8).split("\0")).contains(MARK + "=" + name);
        } catch (IOException e) {
            return false;
        }
    }

    /** A kernel WireGuard link of that name in this network namespace (its uevent says DEVTYPE=wireguard). */
    private static boolean isKernelWireGuard(String name) {
        try {
            return Files.readAllLines(Path.of("/sys/class/net", name, "uevent")).contains("DEVTYPE=wireguard");
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }
}
