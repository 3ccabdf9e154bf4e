package jwg.routing;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import jwg.testing.NetNs;

/** The real wg-quick, with wireguard-go as its userspace WireGuard, in a namespace. */
final class WgQuickRunner {
    private WgQuickRunner() {}

    static Sh.Result run(NetNs ns, String action, Path conf, String path) throws Exception {
        return Sh.run(Map.of(), List.of("ip", "netns", "exec", ns.name(), "env", "PATH=" + path,
                "WG_QUICK_USERSPACE_IMPLEMENTATION=wireguard-go", "/usr/bin/wg-quick", action, conf.toString()));
    }

    /**
     * The "[#]" lines with IF for the interface's name, nft's input as /dev/stdin (wg-quick's
     * process substitution gives /dev/fd/63), without the lines of add_if and set_config (jwg's
     * device does those).
     */
    static List<String> commands(List<String> lines, String ifName) {
        return lines.stream().filter(l -> l.startsWith("[#] "))
                .map(l -> l.replace(ifName, "IF").replaceAll("/dev/fd/\\d+", "/dev/stdin"))
                .filter(l -> !l.startsWith("[#] ip link add IF type wireguard") && !l.equals("[#] wireguard-go IF")
                        && !l.startsWith("[#] wg setconf IF") && !l.startsWith("[#] wg addconf IF"))
                .toList();
    }

    /** A name no other test uses, host-wide (wireguard-go's sockets are in the shared /var/run/wireguard). */
    static String uniqueName(String prefix) {
        return prefix + Long.toHexString(System.nanoTime() & 0xfffffffffL);
    }
}
