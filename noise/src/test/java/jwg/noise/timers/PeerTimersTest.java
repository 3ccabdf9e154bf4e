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
        PeerTimers real = new PeerTimers(new SplittableRandom(1), new RecordingAlarm());
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

    // ---- The alarm ----

    /** Remembers what it was set to last, and counts. */
    private static final class RecordingAlarm implements Alarm {
        boolean set;
        long deadline;
        int sets;
        int cancels;

        @Override public void set(long deadlineNanos) {
            set = true;
            deadline = deadlineNanos;
            sets++;
        }

        @Override public void cancel() {
            set = false;
            cancels++;
        }
    }

    private final RecordingAlarm alarm = new RecordingAlarm();
    private final PeerTimers alarmed = new PeerTimers(jitter, alarm);

    /** The alarm is set to the earliest deadline, as nanosUntilNextDeadline has it. */
    private void assertAlarmAtNextDeadline(long now) {
        assertTrue(alarm.set);
        assertEquals(alarmed.nanosUntilNextDeadline(now), alarm.deadline - now);
    }

    @Test
    void theAlarmIsSetWhenTheEarliestDeadlineMovesEarlier() {
        alarmed.sessionDerived(T0);
        assertEquals(1, alarm.sets);
        assertAlarmAtNextDeadline(T0);
        assertEquals(T0 + 540 * S, alarm.deadline);

        alarmed.dataReceived(T0 + S); // a keepalive due at T0 + 11 s: earlier
        assertEquals(2, alarm.sets);
        assertAlarmAtNextDeadline(T0 + S);

        alarmed.handshakeInitiated(T0 + 2 * S); // a retry at T0 + 7 s: earlier
        assertEquals(3, alarm.sets);
        assertAlarmAtNextDeadline(T0 + 2 * S);

        alarmed.dataSent(T0 + 3 * S); // a new handshake at T0 + 18 s: later, so nothing
        alarmed.sessionDerived(T0 + 3 * S);
        assertEquals(3, alarm.sets);
        assertEquals(T0 + 7 * S, alarm.deadline);

        alarmed.setPersistentKeepaliveInterval(25, T0 + 4 * S); // a keepalive due at once
        assertEquals(4, alarm.sets);
        assertAlarmAtNextDeadline(T0 + 4 * S);
        assertEquals(T0 + 4 * S, alarm.deadline);
        assertEquals(0, alarm.cancels);
    }

    @Test
    void packetsThatPushDeadlinesLaterSetNoAlarm() {
        alarmed.setPersistentKeepaliveInterval(25, T0);
        assertEquals(SEND_KEEPALIVE, alarmed.poll(T0));
        alarmed.anyAuthenticatedPacketTraversal(T0);
        alarmed.anyAuthenticatedPacketSent();
        assertNull(alarmed.poll(T0));
        assertEquals(T0 + 25 * S, alarm.deadline);
        alarmed.dataSent(T0); // a new handshake due at T0 + 15 s: earlier
        int sets = alarm.sets;
        assertEquals(T0 + 15 * S, alarm.deadline);
        for (long now = T0; now < T0 + 20 * S; now += MS) {
            alarmed.anyAuthenticatedPacketTraversal(now); // the persistent keepalive pushed back
            alarmed.anyAuthenticatedPacketSent();
            alarmed.dataSent(now); // armed once, then left alone
            alarmed.anyAuthenticatedPacketReceived(); // and cancelled: no alarm for that either
        }
        assertEquals(sets, alarm.sets, "the packet path set nothing");
        assertEquals(T0 + 15 * S, alarm.deadline, "so the alarm rings early");
        assertNull(alarmed.poll(T0 + 20 * S), "finds nothing due");
        assertEquals(sets + 1, alarm.sets, "and is set again");
        assertAlarmAtNextDeadline(T0 + 20 * S);
        assertEquals(T0 + 20 * S - MS + 25 * S, alarm.deadline);
    }

    @Test
    void aPollThatReturnsNullSetsTheAlarmToWhatIsLeft() {
        alarmed.handshakeInitiated(T0);
        alarmed.sessionDerived(T0);
        assertEquals(T0 + 5 * S, alarm.deadline);
        assertEquals(SEND_HANDSHAKE_INITIATION, alarmed.poll(T0 + 5 * S));
        alarmed.handshakeInitiated(T0 + 5 * S); // what the datapath feeds: later than the alarm
        assertEquals(T0 + 5 * S, alarm.deadline);
        assertNull(alarmed.poll(T0 + 5 * S));
        assertAlarmAtNextDeadline(T0 + 5 * S);
        assertEquals(T0 + 10 * S, alarm.deadline);

        alarmed.handshakeComplete(); // only the key zeroing left, the alarm still at 10 s
        int sets = alarm.sets;
        assertNull(alarmed.poll(T0 + 10 * S));
        assertEquals(sets + 1, alarm.sets);
        assertEquals(T0 + 540 * S, alarm.deadline);
        assertEquals(DROP_KEYS, alarmed.poll(T0 + 540 * S));
        assertNull(alarmed.poll(T0 + 540 * S));
        assertEquals(sets + 1, alarm.sets, "nothing pending: nothing set");
    }

    @Test
    void stopCancelsTheAlarm() {
        alarmed.stop();
        assertEquals(0, alarm.cancels, "none was set");
        alarmed.dataReceived(T0);
        alarmed.stop();
        assertEquals(1, alarm.cancels);
        assertFalse(alarm.set);
        alarmed.dataSent(T0 + S);
        assertAlarmAtNextDeadline(T0 + S);
    }

    /**
     * Random events and polls: whenever a timer is pending the alarm is set to no later than the
     * earliest deadline (it never rings late), and outside polls it only ever moves earlier.
     */
    @Test
    void theAlarmNeverRingsLate() {
        SplittableRandom r = new SplittableRandom(11);
        PeerTimers t = new PeerTimers(new SplittableRandom(12), alarm);
        long now = T0;
        for (int i = 0; i < 200_000; i++) {
            now += r.nextLong(2 * S);
            boolean wasSet = alarm.set;
            long before = alarm.deadline;
            int sets = alarm.sets;
            switch (r.nextInt(12)) {
                case 0 -> t.dataSent(now);
                case 1 -> t.dataReceived(now);
                case 2 -> t.anyAuthenticatedPacketSent();
                case 3 -> t.anyAuthenticatedPacketReceived();
                case 4 -> t.anyAuthenticatedPacketTraversal(now);
                case 5 -> t.handshakeInitiated(now);
                case 6 -> t.handshakeResponseSent(now);
                case 7 -> t.handshakeComplete();
                case 8 -> t.sessionDerived(now);
                case 9 -> t.setPersistentKeepaliveInterval(r.nextInt(4) * 10, now);
                case 10 -> {
                    if (r.nextInt(50) == 0) t.stop();
                }
                default -> {
                    if (alarm.set && now - alarm.deadline >= 0) { // it rings, as a scheduler holds it no longer
                        alarm.set = false;
                        while (t.poll(now) != null) {}
                        if (t.nanosUntilNextDeadline(now) != PeerTimers.NO_DEADLINE) assertAlarmAt(t, now);
                    }
                    continue;
                }
            }
            if (alarm.sets != sets) {
                assertTrue(!wasSet || alarm.deadline - before < 0, "an event moves the alarm earlier only");
                assertEquals(t.nanosUntilNextDeadline(now), alarm.deadline - now, "to the earliest deadline");
            }
            long next = t.nanosUntilNextDeadline(now);
            if (next != PeerTimers.NO_DEADLINE) {
                assertTrue(alarm.set, "a timer is pending");
                assertTrue(alarm.deadline - now <= next, "the alarm is not later than the earliest deadline");
            }
        }
        assertTrue(alarm.sets > 10_000 && alarm.cancels > 100, alarm.sets + " sets, " + alarm.cancels + " cancels");
    }

    private void assertAlarmAt(PeerTimers t, long now) {
        assertTrue(alarm.set);
        assertEquals(t.nanosUntilNextDeadline(now), alarm.deadline - now);
    }

    @Test
    void lastMinuteHandshakeOncePerSession() {
        assertTrue(timers.claimLastMinuteHandshake());
        assertFalse(timers.claimLastMinuteHandshake());
        timers.handshakeComplete();
        assertTrue(timers.claimLastMinuteHandshake());
    }
}
