package jwg.noise.timers;

import static jwg.noise.timers.TimerAction.DROP_KEYS;
import static jwg.noise.timers.TimerAction.GIVE_UP;
import static jwg.noise.timers.TimerAction.SEND_HANDSHAKE_INITIATION;
import static jwg.noise.timers.TimerAction.SEND_KEEPALIVE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

class PeerTimersTest {
    private static final long S = 1_000_000_000L;
    private static final long MS = 1_000_000L;
    private static final long JITTER_BOUND = 334 * MS;
    private static final long T0 = 987_654_321_000L;

    /** Returns a fixed jitter and remembers the bound it was asked for. */
    private static final class FixedJitter implements RandomGenerator {
        long value;
        long lastBound;

        @Override
        public long nextLong() {
            throw new UnsupportedOperationException("only bounded draws expected");
        }

        @Override
        public long nextLong(long bound) {
            lastBound = bound;
            return value;
        }
    }

    private final FixedJitter jitter = new FixedJitter();
    private final PeerTimers timers = new PeerTimers(jitter);

    // ---- Handshake retransmission (whitepaper 6.4) ----

    @Test
    void retryAfterRekeyTimeout() {
        timers.handshakeInitiated(T0);
        assertEquals(5 * S, timers.nanosUntilNextDeadline(T0));
        assertNull(timers.poll(T0 + 5 * S - 1));
        assertEquals(SEND_HANDSHAKE_INITIATION, timers.poll(T0 + 5 * S));
        assertNull(timers.poll(T0 + 5 * S), "fires once");
    }

    @Test
    void jitterIsDrawnBelow334MsAndAdded() {
        jitter.value = JITTER_BOUND - 1;
        timers.handshakeInitiated(T0);
        assertEquals(JITTER_BOUND, jitter.lastBound);
        assertNull(timers.poll(T0 + 5 * S + JITTER_BOUND - 2));
        assertEquals(SEND_HANDSHAKE_INITIATION, timers.poll(T0 + 5 * S + JITTER_BOUND - 1));
    }

    @Test
    void retriesAreJitteredUniformly() {
        PeerTimers real = new PeerTimers(new SplittableRandom(7));
        TreeSet<Long> delays = new TreeSet<>();
        long now = T0;
        for (int i = 0; i < 200; i++) {
            real.handshakeInitiated(now);
            long delay = real.nanosUntilNextDeadline(now);
            assertTrue(delay >= 5 * S && delay < 5 * S + JITTER_BOUND, "delay " + delay);
            delays.add(delay);
            now += delay;
            real.requestHandshake(now); // keep the attempt count low
            assertEquals(SEND_HANDSHAKE_INITIATION, real.poll(now));
        }
        assertTrue(delays.size() > 190, "retries must not share one timeout");
        assertTrue(delays.first() < 5 * S + 50 * MS && delays.last() > 5 * S + 284 * MS,
                "spread over the whole range: " + delays.first() + ".." + delays.last());
    }

    @Test
    void noRetryAfterHandshakeComplete() {
        timers.handshakeInitiated(T0);
        timers.handshakeComplete();
        assertNull(timers.poll(T0 + 60 * S));
        assertEquals(PeerTimers.NO_DEADLINE, timers.nanosUntilNextDeadline(T0 + 60 * S));
    }

    /**
     * Counts initiations until GIVE_UP, sending one (with the events the datapath feeds) every time
     * it is told to; with {@code oldSessionData}, data keeps arriving on the old session meanwhile.
     */
    private int initiationsUntilGiveUp(long start, boolean oldSessionData) {
        long now = start;
        int initiations = 0;
        for (TimerAction action = SEND_HANDSHAKE_INITIATION; action != GIVE_UP; action = timers.poll(now)) {
            assertEquals(SEND_HANDSHAKE_INITIATION, action);
            initiations++;
            timers.anyAuthenticatedPacketTraversal(now);
            timers.anyAuthenticatedPacketSent();
            timers.handshakeInitiated(now);
            if (oldSessionData) {
                timers.anyAuthenticatedPacketReceived();
                timers.dataReceived(now);
            }
            now += timers.nanosUntilNextDeadline(now);
        }
        return initiations;
    }

    private int initiationsUntilGiveUp(long start) {
        return initiationsUntilGiveUp(start, false);
    }

    @Test
    void givesUpAfterTheFirstInitiationAndNineteenRetries() {
        assertEquals(18, PeerTimers.MAX_TIMER_HANDSHAKES);
        // Data on the old session leaves a passive keepalive pending: giving up cancels it.
        assertEquals(20, initiationsUntilGiveUp(T0, true));
        long gaveUpAt = T0 + 20 * 5 * S;
        assertEquals(540 * S, timers.nanosUntilNextDeadline(gaveUpAt), "only the key zeroing is left");
        assertNull(timers.poll(gaveUpAt + 540 * S - 1));
        assertEquals(DROP_KEYS, timers.poll(gaveUpAt + 540 * S));
        assertNull(timers.poll(gaveUpAt + 10_000 * S));
    }

    @Test
    void giveUpKeepsAPendingKeyZeroing() {
        timers.sessionDerived(T0);
        assertEquals(20, initiationsUntilGiveUp(T0));
        assertEquals(DROP_KEYS, timers.poll(T0 + 540 * S), "not pushed back by giving up");
    }

    @Test
    void wantingAHandshakeAgainRestartsTheAttempts() {
        long now = T0;
        timers.handshakeInitiated(now);
        for (int i = 0; i < 15; i++) {
            now += 5 * S;
            assertEquals(SEND_HANDSHAKE_INITIATION, timers.poll(now));
            timers.handshakeInitiated(now);
        }
        assertFalse(timers.requestHandshake(now + 1), "rate limited, but the count is reset");
        assertEquals(20, initiationsUntilGiveUp(now + 5 * S), "a full new round");
    }

    @Test
    void initiationsAreLimitedToOnePerRekeyTimeout() {
        assertTrue(timers.requestHandshake(T0), "the first one is free");
        timers.handshakeInitiated(T0);
        assertFalse(timers.requestHandshake(T0 + 5 * S - 1));
        assertTrue(timers.requestHandshake(T0 + 5 * S));
        timers.handshakeResponseSent(T0 + 6 * S);
        assertFalse(timers.requestHandshake(T0 + 10 * S), "a response we sent counts too");
        assertTrue(timers.requestHandshake(T0 + 11 * S));
    }

    @Test
    void aNewPrivateKeyLiftsTheLimitAtOnce() {
        timers.handshakeInitiated(T0);
        assertFalse(timers.requestHandshake(T0 + S));
        timers.forgetSentHandshakes();
        assertTrue(timers.requestHandshake(T0 + S), "the handshake sent was for the old key");
        timers.handshakeInitiated(T0 + S);
        assertFalse(timers.requestHandshake(T0 + 2 * S), "and the limit holds again from the new one");
    }

    // ---- New handshake when nothing comes back (whitepaper 6.5) ----

    @Test
    void newHandshakeWhenDataSentAndNothingReceived() {
        jitter.value = 100 * MS;
        timers.dataSent(T0);
        timers.dataSent(T0 + 3 * S); // does not push the deadline
        assertNull(timers.poll(T0 + 15 * S + 100 * MS - 1));
        assertEquals(SEND_HANDSHAKE_INITIATION, timers.poll(T0 + 15 * S + 100 * MS));
    }

    @Test
    void noNewHandshakeWhenSomethingCameBack() {
        timers.dataSent(T0);
        timers.anyAuthenticatedPacketReceived(); // a keepalive is enough
        assertNull(timers.poll(T0 + 100 * S));
    }

    @Test
    void newHandshakeRespectsTheRateLimit() {
        timers.dataSent(T0);
        timers.handshakeInitiated(T0 + 12 * S); // e.g. rekey after time, meanwhile
        timers.handshakeComplete();
        assertNull(timers.poll(T0 + 15 * S), "an initiation went out 3 s ago");
    }

    // ---- Passive keepalive (whitepaper 6.5) ----

    @Test
    void keepaliveAfterReceivingDataAndSendingNothing() {
        timers.dataReceived(T0);
        timers.dataReceived(T0 + 4 * S); // does not push the deadline
        assertNull(timers.poll(T0 + 10 * S - 1));
        assertEquals(SEND_KEEPALIVE, timers.poll(T0 + 10 * S));
        assertNull(timers.poll(T0 + 10 * S));
    }

    @Test
    void noKeepaliveIfWeSentSomethingInTime() {
        timers.dataReceived(T0);
        timers.anyAuthenticatedPacketTraversal(T0 + 9 * S);
        timers.anyAuthenticatedPacketSent();
        timers.dataSent(T0 + 9 * S);
        timers.anyAuthenticatedPacketReceived();
        assertNull(timers.poll(T0 + 30 * S));
    }

    @Test
    void receivingAKeepaliveArmsNoKeepalive() {
        // What the receive path feeds for a keepalive: no dataReceived.
        timers.anyAuthenticatedPacketReceived();
        timers.anyAuthenticatedPacketTraversal(T0);
        assertEquals(PeerTimers.NO_DEADLINE, timers.nanosUntilNextDeadline(T0));
        assertNull(timers.poll(T0 + 60 * S));
        // Whereas data does.
        timers.dataReceived(T0);
        assertEquals(SEND_KEEPALIVE, timers.poll(T0 + 10 * S));
    }

    // ---- Persistent keepalive ----

    @Test
    void persistentKeepaliveAfterTheLastTraversal() {
        timers.setPersistentKeepaliveInterval(25, T0);
        assertEquals(SEND_KEEPALIVE, timers.poll(T0), "turning it on sends one at once");
        timers.anyAuthenticatedPacketTraversal(T0);
        timers.anyAuthenticatedPacketSent();
        timers.anyAuthenticatedPacketTraversal(T0 + 10 * S); // traffic pushes it back
        assertNull(timers.poll(T0 + 35 * S - 1));
        assertEquals(SEND_KEEPALIVE, timers.poll(T0 + 35 * S));
        assertNull(timers.poll(T0 + 100 * S), "the next one needs the keepalive's own traversal");
    }

    @Test
    void persistentKeepaliveChangedWhileOnIsNotImmediate() {
        timers.setPersistentKeepaliveInterval(25, T0);
        assertEquals(SEND_KEEPALIVE, timers.poll(T0));
        timers.anyAuthenticatedPacketTraversal(T0);
        timers.setPersistentKeepaliveInterval(30, T0 + S);
        assertNull(timers.poll(T0 + S));
        assertEquals(SEND_KEEPALIVE, timers.poll(T0 + 25 * S), "the pending one keeps its deadline");
        timers.anyAuthenticatedPacketTraversal(T0 + 25 * S);
        assertEquals(30 * S, timers.nanosUntilNextDeadline(T0 + 25 * S), "then the new interval");
    }

    @Test
    void persistentKeepaliveOffWhenZero() {
        timers.anyAuthenticatedPacketTraversal(T0);
        assertEquals(PeerTimers.NO_DEADLINE, timers.nanosUntilNextDeadline(T0), "off by default");
        timers.setPersistentKeepaliveInterval(25, T0);
        timers.anyAuthenticatedPacketTraversal(T0);
        timers.setPersistentKeepaliveInterval(0, T0 + S);
        timers.anyAuthenticatedPacketTraversal(T0 + 2 * S);
        assertNull(timers.poll(T0 + 1000 * S));
    }

    @Test
    void persistentKeepaliveIntervalIsAU16() {
        assertThrows(IllegalArgumentException.class, () -> timers.setPersistentKeepaliveInterval(-1, T0));
        assertThrows(IllegalArgumentException.class, () -> timers.setPersistentKeepaliveInterval(65536, T0));
        timers.setPersistentKeepaliveInterval(65535, T0);
        assertEquals(SEND_KEEPALIVE, timers.poll(T0));
        timers.anyAuthenticatedPacketTraversal(T0);
        assertEquals(65535 * S, timers.nanosUntilNextDeadline(T0));
    }

    // ---- Zeroing keys (whitepaper 6.3) ----

    @Test
    void keysDroppedThreeRejectAfterTimesAfterTheLastSession() {
        timers.sessionDerived(T0);
        timers.sessionDerived(T0 + 100 * S);
        assertNull(timers.poll(T0 + 640 * S - 1));
        assertEquals(DROP_KEYS, timers.poll(T0 + 640 * S));
        assertNull(timers.poll(T0 + 10_000 * S));
    }

    // ---- Polling ----

    @Test
    void dueTimersFireEarliestFirst() {
        timers.sessionDerived(T0 - 540 * S + 3 * S); // due at T0 + 3 s
        timers.dataReceived(T0 - 10 * S + 1 * S); // keepalive due at T0 + 1 s
        timers.handshakeInitiated(T0 - 5 * S + 2 * S); // retry due at T0 + 2 s
        assertEquals(0, timers.nanosUntilNextDeadline(T0 + 5 * S));
        assertEquals(SEND_KEEPALIVE, timers.poll(T0 + 5 * S));
        assertEquals(SEND_HANDSHAKE_INITIATION, timers.poll(T0 + 5 * S));
        assertEquals(DROP_KEYS, timers.poll(T0 + 5 * S));
        assertNull(timers.poll(T0 + 5 * S));
    }

    @Test
    void worksAcrossTheWrapOfTheNanosecondClock() {
        long start = Long.MAX_VALUE - 2 * S;
        timers.handshakeInitiated(start);
        timers.dataReceived(start);
        assertNull(timers.poll(start + S));
        assertEquals(SEND_HANDSHAKE_INITIATION, timers.poll(start + 5 * S));
        assertEquals(SEND_KEEPALIVE, timers.poll(start + 10 * S));
    }

    @Test
    void stopCancelsEverything() {
        timers.setPersistentKeepaliveInterval(25, T0);
        timers.handshakeInitiated(T0);
        timers.dataSent(T0);
        timers.dataReceived(T0);
        timers.sessionDerived(T0);
        timers.stop();
        assertEquals(PeerTimers.NO_DEADLINE, timers.nanosUntilNextDeadline(T0));
        assertNull(timers.poll(T0 + 10_000 * S));
    }

    @Test
    void afterStopTheNextInitiationNeedNotWaitForRekeyTimeout() {
        timers.handshakeInitiated(T0);
        assertFalse(timers.requestHandshake(T0 + S), "within REKEY_TIMEOUT of the last one");
        timers.stop();
        assertTrue(timers.requestHandshake(T0 + S), "the interface came up again: at once");
    }

    @Test
    void packetEventsAndPollingAllocateNothing() {
        PeerTimers real = new PeerTimers(new SplittableRandom(1));
        real.setPersistentKeepaliveInterval(25, T0);
        Runnable traffic = () -> {
            long now = T0;
            for (int i = 0; i < 100_000; i++) {
                now += MS;
                real.anyAuthenticatedPacketTraversal(now);
                real.anyAuthenticatedPacketSent();
                real.dataSent(now);
                real.anyAuthenticatedPacketReceived();
                real.dataReceived(now);
                real.handshakeInitiated(now);
                real.handshakeComplete();
                while (real.poll(now) != null) {}
                real.nanosUntilNextDeadline(now);
            }
        };
        traffic.run(); // warm up
        var threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        traffic.run();
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertTrue(allocated < 4096, "allocated " + allocated + " bytes for 100000 rounds");
    }

    @Test
    void lastMinuteHandshakeOncePerSession() {
        assertTrue(timers.claimLastMinuteHandshake());
        assertFalse(timers.claimLastMinuteHandshake());
        timers.handshakeComplete();
        assertTrue(timers.claimLastMinuteHandshake());
    }
}
