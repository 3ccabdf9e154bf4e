package jwg.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import jwg.interop.fixture.Addrs;
import jwg.interop.fixture.ExecResult;
import jwg.interop.fixture.KernelPeer;
import jwg.interop.fixture.Netns;
import jwg.interop.fixture.Poll;
import jwg.interop.fixture.WgPeer;

/**
 * Traffic through a tunnel for the interop tests: pings, and TCP transfers of random bytes whose
 * SHA-256 is computed on both ends. Hosts in network namespaces use python3; the kernel-peer VM
 * has only busybox (nc, sha256sum), which it uses instead.
 */
final class Traffic {
    private Traffic() {
    }

    /** Debian's python3 (the one on PATH may be a pyenv shim that needs a HOME). */
    private static final String PYTHON =
            java.nio.file.Files.isExecutable(java.nio.file.Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3";

    /** Where commands run: a namespace on this machine, or the kernel-peer VM (busybox only). */
    record Host(String name, Exec exec, boolean busybox) {
        static Host of(Netns ns) {
            return new Host(ns.name(), (t, cmd) -> ns.exec(t, null, cmd), false);
        }

        static Host of(WgPeer peer) {
            boolean vm = peer instanceof KernelPeer k && k.mode() == KernelPeer.Mode.VM;
            return new Host(peer.toString(), (t, cmd) -> peer.exec(t, null, cmd), vm);
        }

        ExecResult run(Duration timeout, String... cmd) {
            return exec.run(timeout, List.of(cmd));
        }

        @Override
        public String toString() {
            return name;
        }
    }

    @FunctionalInterface
    interface Exec {
        ExecResult run(Duration timeout, List<String> cmd);
    }

    /** What both ends saw of one transfer. */
    record Transfer(String sentSha256, long sentBytes, String receivedSha256, long receivedBytes, long millis) {
        double mbitPerSecond() {
            return receivedBytes * 8.0 / 1000.0 / Math.max(1, millis);
        }

        /** Every byte arrived, unchanged. */
        void assertIntact(long expectedBytes) {
            assertEquals(expectedBytes, sentBytes, "bytes sent");
            assertEquals(expectedBytes, receivedBytes, "bytes received");
            assertEquals(sentSha256, receivedSha256, "SHA-256 of what was received vs. what was sent");
        }
    }

    /** python3: "recv PORT TIMEOUT" or "send HOST PORT BYTES TIMEOUT"; prints "sha256 bytes". */
    private static final String PY = """
            import hashlib, os, socket, sys
            h = hashlib.sha256(); n = 0
            if sys.argv[1] == "recv":
                port, tmo = int(sys.argv[2]), float(sys.argv[3])
                s = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
                s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
                s.bind(("::", port)); s.listen(1); s.settimeout(tmo)
                c, _ = s.accept(); c.settimeout(tmo)
                while True:
                    b = c.recv(1 << 16)
                    if not b: break
                    h.update(b); n += len(b)
                c.close()
            else:
                host, port, total, tmo = sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), float(sys.argv[5])
                c = socket.create_connection((host, port), timeout=tmo)
                while n < total:
                    b = os.urandom(min(1 << 16, total - n))
                    c.sendall(b); h.update(b); n += len(b)
                c.shutdown(socket.SHUT_WR)
                while c.recv(4096): pass
                c.close()
            print(h.hexdigest(), n)
            """;

    /**
     * Sends {@code bytes} random bytes from {@code from} to {@code toAddress}:{@code port} on
     * {@code to} over TCP and returns both ends' SHA-256 and byte counts.
     */
    static Transfer transfer(Host from, Host to, String toAddress, int port, long bytes, Duration timeout) {
        String secs = Long.toString(timeout.toSeconds());
        long t0 = System.nanoTime();
        Supplier<Optional<String>> received = startReceiver(to, port, timeout);
        ExecResult sent;
        if (from.busybox()) {
            String tx = "/tmp/tx." + port;
            sent = from.run(timeout.plusSeconds(10), "sh", "-c",
                    "set -e; head -c " + bytes + " /dev/urandom > " + tx + "; s=$(sha256sum < " + tx + " | cut -d' ' -f1); "
                            + "timeout " + secs + " nc " + Addrs.host(toAddress) + " " + port + " < " + tx + "; "
                            + "echo \"$s $(wc -c < " + tx + ")\"; rm -f " + tx);
        } else {
            sent = from.run(timeout.plusSeconds(10), PYTHON, "-c", PY, "send", Addrs.host(toAddress),
                    Integer.toString(port), Long.toString(bytes), secs);
        }
        if (!sent.ok()) {
            throw new AssertionError("sender on " + from + " failed: " + sent.describe()
                    + "; receiver: " + received.get().orElse("(nothing yet)"));
        }
        String r = Poll.until(timeout, "the receiver on " + to + " to finish", received, () -> "");
        long ms = (System.nanoTime() - t0) / 1_000_000;
        String[] s = sent.stdout().strip().split("\\s+");
        String[] q = r.strip().split("\\s+");
        if (s.length != 2 || q.length != 2) {
            throw new AssertionError("unexpected transfer output: sender '" + sent.stdout() + "', receiver '" + r + "'");
        }
        return new Transfer(s[0], Long.parseLong(s[1]), q[0], Long.parseLong(q[1]), ms);
    }

    /** Starts a one-shot receiver on {@code to}, returns once it listens; the supplier yields "sha bytes" when it is done. */
    private static Supplier<Optional<String>> startReceiver(Host to, int port, Duration timeout) {
        String secs = Long.toString(timeout.toSeconds());
        Supplier<Optional<String>> result;
        Supplier<String> died;
        if (to.busybox()) {
            // busybox nc quits when its stdin ends: a FIFO opened read-write never ends
            String rx = "/tmp/rx." + port;
            to.run(Duration.ofSeconds(15), "sh", "-c", "rm -f " + rx + "*; mkfifo " + rx + ".fifo; "
                    + "( timeout " + secs + " nc -l -p " + port + " <>" + rx + ".fifo > " + rx + "; "
                    + "echo \"$(sha256sum < " + rx + " | cut -d' ' -f1) $(wc -c < " + rx + ")\" > " + rx + ".tmp; "
                    + "mv " + rx + ".tmp " + rx + ".done; rm -f " + rx + " " + rx + ".fifo ) </dev/null >/dev/null 2>&1 &")
                    .orThrow();
            result = () -> {
                ExecResult r = to.run(Duration.ofSeconds(15), "cat", rx + ".done");
                return r.ok() && !r.stdout().isBlank() ? Optional.of(r.stdout()) : Optional.empty();
            };
            died = () -> null;
        } else {
            CompletableFuture<ExecResult> f = CompletableFuture.supplyAsync(() ->
                    to.run(timeout.plusSeconds(10), PYTHON, "-c", PY, "recv", Integer.toString(port), secs));
            result = () -> {
                if (!f.isDone()) {
                    return Optional.empty();
                }
                ExecResult r = f.join();
                if (!r.ok()) {
                    throw new AssertionError("receiver on " + to + " failed: " + r.describe());
                }
                return Optional.of(r.stdout());
            };
            died = () -> f.isDone() ? "receiver ended before the transfer: " + f.join().describe() : null;
        }
        String hex = String.format(Locale.ROOT, "%04X", port);
        Poll.until(Duration.ofSeconds(20), "a receiver listening on TCP port " + port + " on " + to, () -> {
            String d = died.get();
            if (d != null) {
                throw new AssertionError(d);
            }
            return to.run(Duration.ofSeconds(10), "grep", "-Eq", "^ *[0-9]+: [0-9A-F]+:" + hex + " [0-9A-F]+:0000 0A",
                    "/proc/net/tcp", "/proc/net/tcp6").ok();
        });
        return result;
    }

    /** Three pings from {@code from} to {@code address}; all must be answered. */
    static void ping(Host from, String address) {
        from.run(Duration.ofSeconds(30), "ping", "-c", "3", "-i", "0.2", "-W", "5", Addrs.host(address)).orThrow();
    }

    /** Pings until one reply or {@code deadline} seconds (for a tunnel that must re-handshake first). */
    static void pingUntilAnswered(Host from, String address, int deadlineSeconds) {
        from.run(Duration.ofSeconds(deadlineSeconds + 10), "ping", "-c", "1", "-i", "0.5", "-w",
                Integer.toString(deadlineSeconds), Addrs.host(address)).orThrow();
    }

    /** Whether a ping (one or two attempts, short timeouts) gets an answer. */
    static boolean pingAnswered(Host from, String... args) {
        List<String> cmd = new ArrayList<>(List.of("ping", "-c", "2", "-i", "0.3", "-W", "2"));
        cmd.addAll(List.of(args));
        return from.exec().run(Duration.ofSeconds(20), cmd).ok();
    }
}
