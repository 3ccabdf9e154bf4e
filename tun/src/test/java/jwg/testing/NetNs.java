package jwg.testing;

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
 * A throwaway network namespace for a test: {@code ip netns add jwgt-<random>}, and one dedicated
 * platform thread that has entered it with setns(2). Linux keeps the network namespace per
 * thread, so sockets and TUN devices created by tasks run with {@link #call} belong to the
 * namespace; fds stay usable from any thread afterwards. {@link #close} stops the thread and
 * deletes the namespace; use try-with-resources so that happens when a test fails too.
 * The other modules' tests use it through this module's test-jar.
 */
public final class NetNs implements AutoCloseable {
    private final String name;
    private final ExecutorService thread;

    private NetNs(String name) {
        this.name = name;
        this.thread = Executors.newSingleThreadExecutor(
                Thread.ofPlatform().name("netns-" + name).daemon().factory());
    }

    public static NetNs create() throws Exception {
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
            return ns;
        } catch (Exception e) {
            ns.close();
            throw e;
        }
    }

    public String name() {
        return name;
    }

    /** Runs {@code task} on the namespace's thread and returns its result (its exception, unwrapped). */
    public <T> T call(Callable<T> task) throws Exception {
        try {
            return thread.submit(task).get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
            throw e;
        }
    }

    /** {@code ip -n <name> args...}: its standard output; fails if ip exits with an error. */
    public String ip(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("ip", "-n", name));
        command.addAll(List.of(args));
        return run(command.toArray(String[]::new));
    }

    private static String run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + output.strip());
        }
        return output;
    }

    /** {@code ip netns exec <name> command...}: its standard output; fails if it exits with an error. */
    public String exec(String... command) throws IOException, InterruptedException {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", name));
        full.addAll(List.of(command));
        return run(full.toArray(String[]::new));
    }

    /** Stops the thread and deletes the namespace, even if the calling thread is interrupted. */
    @Override
    public void close() throws IOException {
        thread.shutdownNow();
        boolean interrupted = Thread.interrupted();
        try {
            for (;;) {
                try {
                    thread.awaitTermination(10, TimeUnit.SECONDS);
                    run("ip", "netns", "del", name);
                    return;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
