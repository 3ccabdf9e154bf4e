package jwg.cli.testing;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A throwaway network namespace with its loopback up: the tun module's {@link jwg.testing.NetNs}
 * (a platform thread that entered it with setns(2), so TUN devices, sockets and threads made by
 * tasks run with {@link #call} belong to it), with commands run in it through {@link Cmd}.
 */
public final class NetNs implements AutoCloseable {
    private final jwg.testing.NetNs ns;

    private NetNs(jwg.testing.NetNs ns) {
        this.ns = ns;
    }

    public static NetNs create() throws Exception {
        NetNs ns = new NetNs(jwg.testing.NetNs.create());
        try {
            ns.exec("ip", "link", "set", "lo", "up").orThrow();
            return ns;
        } catch (Exception e) {
            ns.close();
            throw e;
        }
    }

    /** A name unique on the host (interface names share /var/run/wireguard across namespaces). */
    public static String uniqueName(String prefix) {
        String unique = prefix + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
        return unique.substring(0, Math.min(15, unique.length()));
    }

    public String name() {
        return ns.name();
    }

    public <T> T call(Callable<T> task) throws Exception {
        return ns.call(task);
    }

    public Cmd.Result exec(String... command) throws Exception {
        return exec(Map.of(), command);
    }

    public Cmd.Result exec(Map<String, String> env, String... command) throws Exception {
        List<String> c = new ArrayList<>(List.of("ip", "netns", "exec", name()));
        c.addAll(List.of(command));
        return Cmd.run(c, env, null);
    }

    /** A veth pair between a and b, addressed aAddress/24 and bAddress/24, both up. */
    public static void link(NetNs a, String aAddress, NetNs b, String bAddress) throws Exception {
        String va = uniqueName("va");
        String vb = uniqueName("vb");
        Cmd.ok("ip", "link", "add", va, "netns", a.name(), "type", "veth", "peer", "name", vb, "netns", b.name());
        a.exec("ip", "address", "add", aAddress + "/24", "dev", va).orThrow();
        b.exec("ip", "address", "add", bAddress + "/24", "dev", vb).orThrow();
        a.exec("ip", "link", "set", va, "up").orThrow();
        b.exec("ip", "link", "set", vb, "up").orThrow();
    }

    @Override
    public void close() throws java.io.IOException {
        ns.close();
    }
}
