package jwg.cli.testing;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import jwg.sys.Errno;
import jwg.sys.Libc;

import static jwg.sys.LibcConstants.CLONE_NEWNET;
import static jwg.sys.LibcConstants.O_CLOEXEC;
import static jwg.sys.LibcConstants.O_RDONLY;

/**
 * A throwaway network namespace with its loopback up, and a platform thread that entered it with
 * setns(2): TUN devices, sockets and threads made by tasks run with {@link #call} belong to it.
 * Commands run in it with {@link #exec}.
 */
public final class NetNs implements AutoCloseable {
    private final String name;
    private final ExecutorService thread;

    private NetNs(String name) {
        this.name = name;
        this.thread = Executors.newSingleThreadExecutor(Thread.ofPlatform().name("netns-" + name).daemon().factory());
    }

    public static NetNs create() throws Exception {
        String name = "jwgt-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
        Cmd.ok("ip", "netns", "add", name);
        NetNs ns = new NetNs(name);
        try {
            ns.call(() -> {
                int fd = Errno.check(Libc.open("/var/run/netns/" + name, O_RDONLY | O_CLOEXEC), "open(netns)");
                try {
                    return Errno.check(Libc.setns(fd, CLONE_NEWNET), "setns(" + name + ")");
                } finally {
                    Libc.close(fd);
                }
            });
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
        return name;
    }

    public <T> T call(Callable<T> task) throws Exception {
        try {
            return thread.submit(task).get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception cause) throw cause;
            throw e;
        }
    }

    public Cmd.Result exec(String... command) throws Exception {
        return exec(Map.of(), command);
    }

    public Cmd.Result exec(Map<String, String> env, String... command) throws Exception {
        List<String> c = new ArrayList<>(List.of("ip", "netns", "exec", name));
        c.addAll(List.of(command));
        return Cmd.run(c, env, null);
    }

    /** A veth pair between a and b, addressed aAddress/24 and bAddress/24, both up. */
    public static void link(NetNs a, String aAddress, NetNs b, String bAddress) throws Exception {
        String va = uniqueName("va");
        String vb = uniqueName("vb");
        Cmd.ok("ip", "link", "add", va, "netns", a.name, "type", "veth", "peer", "name", vb, "netns", b.name);
        a.exec("ip", "address", "add", aAddress + "/24", "dev", va).orThrow();
        b.exec("ip", "address", "add", bAddress + "/24", "dev", vb).orThrow();
        a.exec("ip", "link", "set", va, "up").orThrow();
        b.exec("ip", "link", "set", vb, "up").orThrow();
    }

    @Override
    public void close() throws java.io.IOException {
        thread.shutdownNow();
        try {
            thread.awaitTermination(10, TimeUnit.SECONDS);
            Cmd.ok("ip", "netns", "del", name);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
