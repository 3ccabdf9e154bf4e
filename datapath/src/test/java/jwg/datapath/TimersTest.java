package jwg.datapath;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.SplittableRandom;
import jwg.noise.Protocol;
import jwg.testing.Packets;
import org.junit.jupiter.api.Test;

/**
 * The timers through two devices back to back in memory ({@link BackToBack}): what they send and
 * when, and that the loop wakes for the peers whose deadlines come, not every tick for every peer.
 */
class TimersTest {
    private static final long TICK = Limits.TICK_NANOS;
    private static final long S = 1_000_000_000L;

    private static void ping(BackToBack w) {
        w.a.send(Packets.icmpEcho(w.a.ip, w.b.ip, 1, 1, new byte[56]));
        w.pump();
    }

    private static DeviceUpdate peers(List<PeerUpdate> peers) {
        return new DeviceUpdate(Optional.empty(), OptionalInt.empty(), OptionalInt.empty(), false, peers);
    }

    private static PeerUpdate keepalive(byte[] peer, int seconds) {
        return new PeerUpdate(peer, false, true, Optional.empty(), Optional.empty(), OptionalInt.of(seconds), false, List.of());
    }

    @Test
    void persistentKeepalivesGoOutOnTime() throws Exception {
        try (BackToBack w = new BackToBack()) {
            ping(w);
            w.advance(Duration.ofSeconds(12)); // b's passive keepalive for the ping has come and gone
            List<Long> sent = new ArrayList<>();
            w.net.lose = d -> d.from().equals(w.a.address()) && d.bytes().length == Protocol.TRANSPORT_MIN_LEN
                    && sent.add(w.clock.nanoTime()) && false;
            long on = w.clock.nanoTime();
            int woke = w.a.scheduler.ran;
            w.a.configuration.configure(peers(List.of(keepalive(w.b.publicKey, 25))));
            w.advance(Duration.ofSeconds(80));
            assertEquals(4, sent.size(), "one at once, then every 25 s");
            assertTrue(sent.getFirst() - on <= TICK, "the first within a tick");
            for (int i = 1; i < sent.size(); i++) {
                long gap = sent.get(i) - sent.get(i - 1);
                assertTrue(gap >= 25 * S && gap <= 25 * S + TICK, "gap " + gap);
            }
            assertEquals(4, w.a.scheduler.ran - woke, "the loop woke for each keepalive, not every tick");
        }
    }

    @Test
    void anUnansweredInitiationIsRetriedAfterRekeyTimeout() throws Exception {
        try (BackToBack w = new BackToBack()) {
            List<Long> initiations = new ArrayList<>();
            w.net.lose = d -> d.from().equals(w.a.address()) && d.bytes().length == Protocol.INITIATION_LEN
                    && initiations.add(w.clock.nanoTime()) && initiations.size() < 3; // the third gets through
            ping(w);
            assertEquals(1, initiations.size());
            w.advance(Duration.ofSeconds(12));
            assertEquals(3, initiations.size());
            for (int i = 1; i < 3; i++) {
                long gap = initiations.get(i) - initiations.get(i - 1);
                long most = Protocol.REKEY_TIMEOUT.plus(Protocol.REKEY_TIMEOUT_JITTER_MAX).toNanos() + TICK;
                assertTrue(gap >= Protocol.REKEY_TIMEOUT.toNanos() && gap <= most, "retry after " + gap);
            }
            assertEquals(1, w.b.delivered.size(), "the staged ping went with the session the retry made");
        }
    }

    @Test
    void keysAreZeroedAfterZeroKeysAfter() throws Exception {
        try (BackToBack w = new BackToBack()) {
            ping(w); // a session, derived now on both sides
            w.advance(Protocol.ZERO_KEYS_AFTER.minusNanos(TICK));
            assertNotNull(w.a.onlyPeer().keypairs.current());
            assertNotNull(w.b.onlyPeer().keypairs.current());
            w.advance(Duration.ofNanos(TICK));
            for (BackToBack.Node n : List.of(w.a, w.b)) {
                Peer p = n.onlyPeer();
                assertNull(p.keypairs.current());
                assertNull(p.keypairs.previous());
                assertNull(p.keypairs.next());
            }
            // The peer is filed at its earliest deadline, the key zeroing after 15 s, its slot visited once a turn (41 s).
            assertTrue(w.a.scheduler.ran < 20, w.a.scheduler.ran + " wake-ups in 540 s");
        }
    }

    /** Peers without a pending timer are in no slot: a tick polls none of them, the loop never wakes for them. */
    @Test
    void idlePeersCostNoTicks() throws Exception {
        try (BackToBack w = new BackToBack()) {
            SplittableRandom random = new SplittableRandom(5);
            List<PeerUpdate> idle = new ArrayList<>();
            for (int i = 0; i < 10_000; i++) {
                byte[] key = new byte[Keys.LENGTH];
                random.nextBytes(key);
                idle.add(PeerUpdate.set(key, null, null, 0, List.of()));
            }
            w.a.configuration.configure(peers(idle));
            assertEquals(10_001, w.a.core.peers().size());
            assertEquals(0, w.a.scheduler.pending(), "no wake-up scheduled");
            assertEquals(0, w.a.timers.tick(), "a tick polls none");
            w.advance(Duration.ofSeconds(30));
            assertEquals(0, w.a.scheduler.ran, "the loop did not wake in 30 s");

            // One of them gets an endpoint (where nobody answers) and a keepalive: it alone is polled.
            byte[] one = idle.get(1234).publicKey();
            InetSocketAddress nobody = new InetSocketAddress(InetAddress.getLoopbackAddress(), 9);
            w.a.configuration.configure(peers(List.of(PeerUpdate.set(one, null, nobody, 25, List.of()))));
            assertEquals(1, w.a.scheduler.pending());
            assertEquals(1, w.a.timers.tick(), "the keepalive due at once: an initiation");
            assertEquals(0, w.a.timers.tick(), "its retry is 5 s away");
            assertEquals(1, w.a.scheduler.pending());

            // Removed, it leaves the wheel: the wake-up scheduled for it finds nothing, and none follows.
            w.a.configuration.configure(peers(List.of(new PeerUpdate(one, true, false, Optional.empty(), Optional.empty(),
                    OptionalInt.empty(), false, List.of()))));
            int woke = w.a.scheduler.ran;
            w.advance(Duration.ofSeconds(30));
            assertTrue(w.a.scheduler.ran - woke <= 1);
            assertEquals(0, w.a.scheduler.pending());
            assertEquals(0, w.a.timers.tick());
        }
    }
}
