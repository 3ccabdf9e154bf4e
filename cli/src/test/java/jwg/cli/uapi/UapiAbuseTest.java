package jwg.cli.uapi;

import jwg.net.IpPrefix;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import jwg.cli.testing.NetNs;
import jwg.datapath.DeviceState;
import jwg.datapath.DeviceUpdate;
import jwg.datapath.PeerState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The configuration socket under hostile local clients (the issue on hostile networks): hundreds
 * of idle connections, a client that sends a byte at a time, one that never reads its reply, a
 * 10 MB set, one that disconnects half-way. Other clients are served meanwhile, each bad client is
 * closed when its time is up, and the memory their requests held is given back.
 */
@Timeout(60)
class UapiAbuseTest {
    private final List<DeviceUpdate> applied = new CopyOnWriteArrayList<>();
    private volatile DeviceState state = new DeviceState(Optional.empty(), 1, 0, List.of());

    private final UapiTarget target = new UapiTarget() {
        @Override public DeviceState get() {
            return state;
        }

        @Override public void set(DeviceUpdate update) {
            applied.add(update);
        }
    };

    /** Short times, so that the watchdog's work shows within a test. */
    private static final UapiLimits SHORT = new UapiLimits(128, Duration.ofSeconds(2), Duration.ofSeconds(3), 2 * UapiLimits.MAX_SET_BYTES);

    @Test
    void hundredsOfIdleConnectionsDoNotKeepAClientOut() throws Exception {
        try (UapiServer s = UapiServer.start(NetNs.uniqueName("jwgs"), target)) {
            UnixDomainSocketAddress address = UnixDomainSocketAddress.of(s.path());
            List<SocketChannel> idle = new ArrayList<>();
            try {
                for (int i = 0; i < 300; i++) idle.add(SocketChannel.open(address));
                long start = System.nanoTime();
                try (SocketChannel c = SocketChannel.open(address)) {
                    assertEquals("listen_port=1\nerrno=0\n\n", exchange(c, "get=1\n\n"));
                }
                assertTrue(System.nanoTime() - start < 2_000_000_000L, "served at once");
                assertTrue(s.connectionCount() <= UapiLimits.DEFAULT.connections(), s.connectionCount() + " connections open");
                int closed = 0;
                for (SocketChannel c : idle) {
                    c.configureBlocking(false);
                    if (c.read(ByteBuffer.allocate(1)) < 0) closed++;
                }
                assertTrue(closed >= 300 - UapiLimits.DEFAULT.connections(), closed + " of the idle ones closed");
            } finally {
                for (SocketChannel c : idle) c.close();
            }
        }
    }

    @Test
    void aClientSendingAByteAtATimeHoldsUpNoOneAndIsClosedWhenItsTimeIsUp() throws Exception {
        try (UapiServer s = UapiServer.start(NetNs.uniqueName("jwgs"), target, SHORT);
             SocketChannel slow = SocketChannel.open(UnixDomainSocketAddress.of(s.path()))) {
            write(slow, "set=1\nlisten_port=");
            Thread trickle = Thread.ofVirtual().start(() -> {
                try {
                    for (int i = 0; i < 100; i++) {
                        write(slow, "9");
                        Thread.sleep(100);
                    }
                } catch (IOException | InterruptedException e) {
                    // closed by the server
                }
            });
            for (int i = 0; i < 5; i++) {
                try (SocketChannel c = SocketChannel.open(UnixDomainSocketAddress.of(s.path()))) {
                    long start = System.nanoTime();
                    assertEquals("errno=0\n\n", exchange(c, "set=1\nfwmark=" + (i + 1) + "\n\n"));
                    assertTrue(System.nanoTime() - start < 500_000_000L, "served at once");
                }
            }
            assertEquals(5, applied.size());
            trickle.join(10_000);
            assertEquals(-1, slow.read(ByteBuffer.allocate(64)), "closed without a reply once its time was up");
            assertEquals(5, applied.size(), "nothing of the slow request was applied");
            assertEquals(SHORT.budgetBytes(), budgetOnceFree(s));
        }
    }

    @Test
    void anIdleConnectionIsClosedWhenItsTimeIsUp() throws Exception {
        try (UapiServer s = UapiServer.start(NetNs.uniqueName("jwgs"), target, SHORT);
             SocketChannel c = SocketChannel.open(UnixDomainSocketAddress.of(s.path()))) {
            assertEquals("listen_port=1\nerrno=0\n\n", exchange(c, "get=1\n\n"));
            long start = System.nanoTime();
            assertEquals(-1, c.read(ByteBuffer.allocate(1)));
            long waited = System.nanoTime() - start;
            assertTrue(waited > 1_500_000_000L && waited < 5_000_000_000L, waited / 1_000_000 + " ms");
        }
    }

    @Test
    void aClientThatNeverReadsItsReplyIsClosedAndItsMemoryGivenBack() throws Exception {
        state = manyPeers(50_000); // a reply of ~12 MB: far more than the socket's buffers
        try (UapiServer s = UapiServer.start(NetNs.uniqueName("jwgs"), target, SHORT);
             SocketChannel stuck = SocketChannel.open(UnixDomainSocketAddress.of(s.path()))) {
            write(stuck, "get=1\n\n");
            Thread.sleep(500);
            assertTrue(s.budgetAvailable() < SHORT.budgetBytes(), "the snapshot is counted while its reply waits");
            try (SocketChannel other = SocketChannel.open(UnixDomainSocketAddress.of(s.path()))) {
                assertEquals("errno=0\n\n", exchange(other, "set=1\nlisten_port=5\n\n"), "others are served meanwhile");
            }
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (s.connectionCount() > 0 && System.nanoTime() < deadline) Thread.sleep(100);
            assertEquals(0, s.connectionCount(), "closed once its time was up");
            assertEquals(SHORT.budgetBytes(), budgetOnceFree(s));
        }
    }

    @Test
    void aGetLargerThanTheWholeBudgetIsServedWithAllOfIt() throws Exception {
        state = manyPeers(120_000); // an estimate of ~50 MB: more than the 32 MiB budget
        assertTrue(GetWriter.estimate(state) > UapiLimits.DEFAULT.budgetBytes());
        try (UapiServer s = UapiServer.start(NetNs.uniqueName("jwgs"), target);
             SocketChannel c = SocketChannel.open(UnixDomainSocketAddress.of(s.path()))) {
            write(c, "get=1\n\n");
            String reply = readReply(c);
            assertTrue(reply.endsWith("errno=0\n\n"), reply.substring(Math.max(0, reply.length() - 100)));
            assertEquals(120_000, reply.lines().filter(l -> l.startsWith("public_key=")).count());
        }
    }

    @Test
    void aTenMegabyteSetIsAppliedAndASecondWaitsForRoomInTheBudget() throws Exception {
        String big = setOfPeers(80_000);
        assertTrue(big.length() > 10_000_000, big.length() + " bytes");
        UapiLimits tight = new UapiLimits(128, Duration.ofSeconds(2), Duration.ofSeconds(3), UapiLimits.MAX_SET_BYTES);
        try (UapiServer s = UapiServer.start(NetNs.uniqueName("jwgs"), target, tight)) {
            UnixDomainSocketAddress address = UnixDomainSocketAddress.of(s.path());
            try (SocketChannel c = SocketChannel.open(address)) {
                assertEquals("errno=0\n\n", exchange(c, big));
            }
            assertEquals(80_000, applied.getFirst().peers().size());
            assertEquals(tight.budgetBytes(), budgetOnceFree(s));

            try (SocketChannel holder = SocketChannel.open(address); SocketChannel second = SocketChannel.open(address)) {
                write(holder, big.substring(0, big.length() - 1)); // all but the empty line: it holds ~10 MB
                Thread.sleep(300);
                Thread writer = Thread.ofVirtual().start(() -> {
                    try {
                        write(second, big);
                    } catch (IOException e) {
                        // reported by the reply below
                    }
                });
                long deadline = System.nanoTime() + 2_000_000_000L;
                while (s.budgetAvailable() > 0 && System.nanoTime() < deadline) Thread.sleep(20);
                assertEquals(0, s.budgetAvailable(), "the second took what was left and waits for the rest");
                assertEquals(1, applied.size());
                write(holder, "\n");
                assertEquals("errno=0\n\n", readReply(holder));
                assertEquals("errno=0\n\n", readReply(second), "served once the first had given its room back");
                writer.join(5000);
            }
            assertEquals(3, applied.size());
            assertEquals(tight.budgetBytes(), budgetOnceFree(s));
        }
    }

    @Test
    void aClientThatDisconnectsHalfWayLeavesNothingHeld() throws Exception {
        String big = setOfPeers(20_000);
        try (UapiServer s = UapiServer.start(NetNs.uniqueName("jwgs"), target, SHORT)) {
            UnixDomainSocketAddress address = UnixDomainSocketAddress.of(s.path());
            try (SocketChannel c = SocketChannel.open(address)) {
                write(c, big.substring(0, big.length() / 2));
                c.setOption(java.net.StandardSocketOptions.SO_LINGER, 0);
            }
            assertEquals(SHORT.budgetBytes(), budgetOnceFree(s));
            assertEquals(0, s.connectionCount());
            try (SocketChannel c = SocketChannel.open(address)) {
                assertEquals("listen_port=1\nerrno=0\n\n", exchange(c, "get=1\n\n"));
            }
        }
    }

    /** The free budget once the requests have ended (a connection gives its room back just after its reply), within 5 s. */
    private static long budgetOnceFree(UapiServer s) throws InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (s.budgetAvailable() < s.budgetTotal() && System.nanoTime() < deadline) Thread.sleep(20);
        return s.budgetAvailable();
    }

    /** A set of n peers as wg setconf sends it: ~130 bytes a peer. */
    private static String setOfPeers(int n) {
        StringBuilder b = new StringBuilder("set=1\nreplace_peers=true\n");
        for (int i = 0; i < n; i++) {
            b.append("public_key=").append(key(i)).append("\nreplace_allowed_ips=true\nallowed_ip=10.")
                    .append(i >> 16 & 255).append('.').append(i >> 8 & 255).append('.').append(i & 255).append("/32\n");
        }
        return b.append('\n').toString();
    }

    private static DeviceState manyPeers(int n) {
        List<PeerState> peers = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            peers.add(new PeerState(HexFormat.of().parseHex(key(i)), new byte[32], Optional.of(new InetSocketAddress("192.0.2.1", 51820)),
                    0, 0, 0, 0, List.of(new IpPrefix(new byte[] {10, (byte) (i >> 16), (byte) (i >> 8), (byte) i}, 32))));
        }
        return new DeviceState(Optional.empty(), 1, 0, peers);
    }

    private static String key(int i) {
        return "%064x".formatted(0x4000000L + i);
    }

    private static String exchange(SocketChannel c, String request) throws IOException {
        write(c, request);
        return readReply(c);
    }

    private static void write(SocketChannel c, String s) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(s.getBytes(StandardCharsets.US_ASCII));
        while (b.hasRemaining()) c.write(b);
    }

    /** Up to and including the first empty line, or what came before the end of the stream. */
    private static String readReply(SocketChannel c) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteBuffer chunk = ByteBuffer.allocate(1 << 16);
        byte last = 0, beforeLast = 0;
        while (!(out.size() >= 2 && last == '\n' && beforeLast == '\n')) { // the server says nothing more until asked
            chunk.clear();
            if (c.read(chunk) < 0) break;
            out.write(chunk.array(), 0, chunk.position());
            if (chunk.position() >= 2) {
                beforeLast = chunk.get(chunk.position() - 2);
            } else if (chunk.position() == 1) {
                beforeLast = last;
            }
            if (chunk.position() > 0) last = chunk.get(chunk.position() - 1);
        }
        return out.toString(StandardCharsets.US_ASCII);
    }
}
