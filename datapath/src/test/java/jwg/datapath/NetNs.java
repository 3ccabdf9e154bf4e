package jwg.datapath;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
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
 * A throwaway network namespace (as tun's tests have one; test classes are not shared across
 * modules): `ip netns add`, and a platform thread that entered it with setns(2). Sockets, TUN
 * devices and threads made by tasks run with {@link #call} belong to the namespace.
 */
final class NetNs implements AutoCloseable {
    private final String name;
    private final ExecutorService thread;

    private NetNs(String name) {
        this.name = name;
        this.thread = Executors.newSingleThreadExecutor(Thread.ofPlatform().name("netns-" + name).daemon().factory());
    }

    static NetNs create() throws Exception {
        String name = "jwgt-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
        run("ip", "netns", "add", name);
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
            ns.exec("ip", "link", "set", "lo", "up");
            return ns;
        } catch (Exception e) {
            ns.close();
            throw e;
        }
    }

    <T> T call(Callable<T> task) throws Exception {
        try {
            return thread.submit(task).get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception cause) throw cause;
            throw e;
        }
    }

    /** A command run inside the namespace (ip netns exec); its output; fails on a non-zero exit. */
    String exec(String... command) throws IOException, InterruptedException {
        List<String> c = new ArrayList<>(List.of("ip", "netns", "exec", name));
        c.addAll(List.of(command));
        return run(c.toArray(String[]::new));
    }

    private static String run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) throw new IOException(String.join(" ", command) + " failed: " + out.strip());
        return out;
    }

    @Override
    public void close() throws IOException {
        thread.shutdownNow();
        try {
            thread.awaitTermination(10, TimeUnit.SECONDS);
            run("ip", "netns", "del", name);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
