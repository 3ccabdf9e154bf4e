package jwg.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import jwg.interop.fixture.ImpairedRelay;
import jwg.interop.fixture.JwgProcess;
import jwg.interop.fixture.Netns;
import jwg.interop.fixture.Poll;
import jwg.interop.fixture.Spawned;
import jwg.interop.fixture.Veth;
import jwg.interop.fixture.WgConfig;
import jwg.interop.fixture.WgKeys;
import jwg.interop.fixture.WireguardGoPeer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * jwg and wireguard-go across a bad network (the issue on hostile networks): every datagram
 * between them passes an {@link ImpairedRelay} (loss, duplicates, reordering, delay with jitter,
 * seeded) while TCP transfers of random bytes run both ways at once, each checked by SHA-256, and a
 * ping every 0.2 s measures the longest silence, for long enough to cross a time-based rekey
 * (REKEY_AFTER_TIME, 120 s). Reports the transfers, the handshakes, the longest silence, TCP's
 * retransmits and what the relay did.
 *
 * <p>CI runs 150 s; {@code -Djwg.soak.seconds=600} (bench/e2e/soak-bench) runs longer, with
 * {@code -Djwg.soak.loss=0.05} and the like for a worse network.
 */
class JwgSoakTest {
    static final long SECONDS = Long.getLong("jwg.soak.seconds", 150);
    static final ImpairedRelay.Impairment BAD = new ImpairedRelay.Impairment(
            Double.parseDouble(System.getProperty("jwg.soak.loss", "0.02")),
            Double.parseDouble(System.getProperty("jwg.soak.duplicate", "0.01")),
            Double.parseDouble(System.getProperty("jwg.soak.reorder", "0.03")),
            Integer.getInteger("jwg.soak.delay", 10), Integer.getInteger("jwg.soak.jitter", 10), 30,
            Long.getLong("jwg.soak.seed", 51820));
    static final long TRANSFER_BYTES = 2L << 20;

    Netns a;
    Netns b;
    JwgProcess jwg;
    WireguardGoPeer go;
    ImpairedRelay relay;
    Spawned ping;

    @AfterEach
    void tearDown() {
        Closing.closeAll(ping, relay, jwg, go, a, b);
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.MINUTES)
    void byteVerifiedStreamsBothWaysAcrossARekeyOnABadNetwork() throws Exception {
        a = Netns.create("soaka");
        b = Netns.create("soakb");
        Veth.connect(a, "192.168.81.1/24", b, "192.168.81.2/24", 1500);
        WgKeys.KeyPair ka = WgKeys.generate(), kb = WgKeys.generate();
        go = WireguardGoPeer.start(b, WgConfig.of(kb, 51861).withAddresses("10.81.0.2/24")
                .withPeer(WgConfig.Peer.of(ka.publicKey(), "10.81.0.1/32")));
        relay = ImpairedRelay.start(a, new InetSocketAddress("127.0.0.1", 0), new InetSocketAddress("192.168.81.2", 51861), BAD);
        jwg = JwgProcess.start(a, JwgProcess.uniqueIfName(), WgConfig.of(ka, 51860).withAddresses("10.81.0.1/24")
                .withPeer(WgConfig.Peer.of(kb.publicKey(), "10.81.0.2/32").withEndpoint("127.0.0.1", relay.nearAddress().getPort())));
        Poll.until(Duration.ofSeconds(60), "jwg's \"is up\" line", () -> jwg.logTail(20_000).contains("is up: UDP port"));
        Traffic.pingUntilAnswered(Traffic.Host.of(a), "10.81.0.2", 60);

        long retransA = retransmits(a), retransB = retransmits(b);
        ping = a.spawn("soak-ping", "ping", "-D", "-n", "-i", "0.2", "-W", "1", "-w", Long.toString(SECONDS), "10.81.0.2");
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(SECONDS);
        AtomicInteger ab = new AtomicInteger(), ba = new AtomicInteger();
        // threads of their own: Traffic's receivers run in the common pool, which has one thread on two cores
        CompletableFuture<Void> forth = inThread(() -> transfers(a, b, "10.81.0.2", 5301, end, ab));
        CompletableFuture<Void> back = inThread(() -> transfers(b, a, "10.81.0.1", 5302, end, ba));
        Set<Long> handshakes = new TreeSet<>();
        while (System.nanoTime() < end) {
            jwg.dump().peer(kb.publicKey()).filter(p -> p.latestHandshake() > 0).ifPresent(p -> handshakes.add(p.latestHandshake()));
            assertTrue(jwg.isAlive(), jwg.logTail(800));
            Thread.sleep(1000);
        }
        forth.get(5, TimeUnit.MINUTES);
        back.get(5, TimeUnit.MINUTES);
        ping.awaitExit(Duration.ofSeconds(30));
        double silence = longestSilence(Files.readString(ping.log()), SECONDS);
        long rA = retransmits(a) - retransA, rB = retransmits(b) - retransB;

        String report = "soak: %d s through a relay with %s; %d+%d transfers of %d MiB intact (jwg to wireguard-go, and back);"
                .formatted(SECONDS, BAD, ab.get(), ba.get(), TRANSFER_BYTES >> 20)
                + " %d handshakes seen; longest ping silence %.1f s; TCP retransmits %d (jwg's side), %d (wireguard-go's); %s"
                .formatted(handshakes.size(), silence, rA, rB, relay);
        System.out.println(report);
        Files.writeString(a.logDir().resolve("soak-report.txt"), report + "\n");
        assertTrue(ab.get() > 0 && ba.get() > 0, report);
        if (SECONDS >= 140) assertTrue(handshakes.size() >= 2, "a rekey within REKEY_AFTER_TIME: " + report);
        assertTrue(silence < 15, report);
        assertTrue(relay.toFar().received() > 1000 && relay.toNear().received() > 1000, "traffic went through the relay: " + report);
        if (BAD.loss() > 0) assertTrue(relay.toFar().lost() > 0 && relay.toNear().lost() > 0, "and it lost some: " + report);
    }

    private static CompletableFuture<Void> inThread(Runnable r) {
        CompletableFuture<Void> f = new CompletableFuture<>();
        Thread.ofPlatform().daemon().start(() -> {
            try {
                r.run();
                f.complete(null);
            } catch (Throwable t) {
                f.completeExceptionally(t);
            }
        });
        return f;
    }

    /** Transfers from one end to the other until end, each checked; counts them. */
    private static void transfers(Netns from, Netns to, String address, int port, long end, AtomicInteger done) {
        while (System.nanoTime() < end) {
            Traffic.transfer(Traffic.Host.of(from), Traffic.Host.of(to), address, port, TRANSFER_BYTES, Duration.ofSeconds(120))
                    .assertIntact(TRANSFER_BYTES);
            done.incrementAndGet();
        }
    }

    /** TCP segments retransmitted in ns so far (/proc/net/snmp, per namespace). */
    private static long retransmits(Netns ns) {
        List<String> tcp = new ArrayList<>();
        for (String line : ns.execOk("cat", "/proc/net/snmp").stdout().split("\n")) if (line.startsWith("Tcp:")) tcp.add(line);
        List<String> names = List.of(tcp.get(0).split("\\s+")), values = List.of(tcp.get(1).split("\\s+"));
        return Long.parseLong(values.get(names.indexOf("RetransSegs")));
    }

    private static final Pattern REPLY = Pattern.compile("^\\[(\\d+\\.\\d+)\\] \\d+ bytes from", Pattern.MULTILINE);

    /** The longest time between two answered pings of ping -D's output (and from the last to its end). */
    static double longestSilence(String pingOutput, long seconds) {
        Matcher m = REPLY.matcher(pingOutput);
        double first = Double.NaN, previous = Double.NaN, longest = 0;
        while (m.find()) {
            double t = Double.parseDouble(m.group(1));
            if (Double.isNaN(first)) first = t;
            else longest = Math.max(longest, t - previous);
            previous = t;
        }
        if (Double.isNaN(first)) return seconds;
        return Math.max(longest, Math.max(0, first + seconds - 1 - previous));
    }

    @Test
    void longestSilenceReadsPingsTimestamps() {
        String out = """
                PING 10.81.0.2 (10.81.0.2) 56(84) bytes of data.
                [1000.000000] 64 bytes from 10.81.0.2: icmp_seq=1 ttl=64 time=20.1 ms
                [1000.200000] 64 bytes from 10.81.0.2: icmp_seq=2 ttl=64 time=20.1 ms
                [1003.700000] 64 bytes from 10.81.0.2: icmp_seq=19 ttl=64 time=20.1 ms
                [1004.000000] 64 bytes from 10.81.0.2: icmp_seq=20 ttl=64 time=20.1 ms
                """;
        assertEquals(3.5, longestSilence(out, 5), 1e-9);
        assertEquals(10, longestSilence("nothing answered", 10), 1e-9);
    }
}
