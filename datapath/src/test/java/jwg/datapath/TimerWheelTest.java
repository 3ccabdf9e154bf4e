package jwg.datapath;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import jwg.noise.Protocol;
import jwg.noise.timers.PeerTimers;
import org.junit.jupiter.api.Test;

/** The timing wheel alone, on a {@link FakeClock}; a small one, so that deadlines are turns away. */
class TimerWheelTest {
    private static final long MS = 1_000_000L;
    private static final long TICK = 20 * MS;
    private static final int SLOTS = 16; // a turn: 320 ms

    private final FakeClock clock = new FakeClock();
    private final long start = clock.nanoTime();
    private final TimerWheel<String> wheel = new TimerWheel<>(SLOTS, TICK, start);

    private TimerWheel.Entry<String> entry(String name) {
        return new TimerWheel.Entry<>(name);
    }

    /** Moves the clock to start + ms and expires; what fell due, taken. */
    private List<String> expireAt(long ms) {
        clock.advance(Duration.ofNanos(start + ms * MS - clock.nanoTime()));
        int n = wheel.expire(clock.nanoTime());
        List<String> due = new ArrayList<>();
        for (TimerWheel.Entry<String> e; (e = wheel.pollDue()) != null; ) due.add(e.owner);
        assertEquals(n, due.size(), "expire counts what it moved to the due list");
        return due;
    }

    @Test
    void anEntryIsDueAtTheFirstTickAtOrAfterItsDeadline() {
        TimerWheel.Entry<String> a = entry("a");
        wheel.file(a, start + 30 * MS);
        assertEquals(1, wheel.size());
        assertEquals(start + 40 * MS, wheel.dueNanos(a));
        assertEquals(40 * MS, wheel.nanosUntilNextTick(start));
        assertEquals(List.of(), expireAt(39));
        assertEquals(List.of("a"), expireAt(40));
        assertEquals(0, wheel.size());
        assertEquals(PeerTimers.NO_DEADLINE, wheel.nanosUntilNextTick(clock.nanoTime()));
        assertEquals(List.of(), expireAt(10_000), "once");
    }

    @Test
    void aDeadlineOnATickIsDueAtThatTick() {
        TimerWheel.Entry<String> a = entry("a");
        wheel.file(a, start + 60 * MS);
        assertEquals(start + 60 * MS, wheel.dueNanos(a));
        wheel.file(a, start); // tick 0, not expired yet
        assertEquals(List.of("a"), expireAt(0));
    }

    @Test
    void filingAgainMovesTheEntryEarlierOrLater() {
        TimerWheel.Entry<String> a = entry("a");
        wheel.file(a, start + 1000 * MS);
        wheel.file(a, start + 100 * MS);
        assertEquals(1, wheel.size(), "moved, not added");
        assertEquals(100 * MS, wheel.nanosUntilNextTick(start));
        assertEquals(List.of("a"), expireAt(100));
        assertEquals(List.of(), expireAt(2000), "no longer at 1 s");

        wheel.file(a, start + 2100 * MS);
        wheel.file(a, start + 2500 * MS);
        assertEquals(List.of(), expireAt(2480));
        assertEquals(List.of("a"), expireAt(2500));
    }

    @Test
    void aRemovedEntryIsNeverDue() {
        TimerWheel.Entry<String> a = entry("a");
        TimerWheel.Entry<String> b = entry("b");
        wheel.file(a, start + 40 * MS);
        wheel.file(b, start + 40 * MS);
        wheel.remove(a);
        wheel.remove(a);
        assertEquals(1, wheel.size());
        assertEquals(List.of("b"), expireAt(40));
        wheel.remove(entry("never filed"));
        assertEquals(0, wheel.size());
        assertEquals(PeerTimers.NO_DEADLINE, wheel.nanosUntilNextTick(clock.nanoTime()));
    }

    /** ZERO_KEYS_AFTER is 1687 turns of this wheel: visited once a turn, due at its tick. */
    @Test
    void aFarDeadlineWaitsItsTurns() {
        TimerWheel.Entry<String> a = entry("a");
        long zero = Protocol.ZERO_KEYS_AFTER.toMillis();
        wheel.file(a, start + zero * MS);
        int wakeups = 0;
        for (long ms = 0; ms < zero; ) {
            long next = wheel.nanosUntilNextTick(clock.nanoTime());
            assertTrue(next <= SLOTS * TICK, "the next non-empty slot is within a turn");
            ms = (clock.nanoTime() + next - start) / MS;
            wakeups++;
            List<String> due = expireAt(ms);
            assertEquals(ms >= zero ? List.of("a") : List.of(), due, "at " + ms + " ms");
        }
        assertEquals(zero / (SLOTS * TICK / MS) + 1, wakeups, "once a turn");
        assertEquals(0, wheel.size());
    }

    @Test
    void theLongestPersistentKeepaliveAcrossALongPause() {
        TimerWheel.Entry<String> a = entry("a");
        long longest = PeerTimers.MAX_PERSISTENT_KEEPALIVE_SECONDS * 1000L;
        wheel.file(a, start + longest * MS);
        assertEquals(List.of(), expireAt(longest - 20), "the loop slept for 18 hours: the slot is visited, the entry not due");
        assertEquals(1, wheel.size());
        assertEquals(List.of("a"), expireAt(longest));
    }

    @Test
    void manyEntriesInOneSlotTurnsApart() {
        List<TimerWheel.Entry<String>> now = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            TimerWheel.Entry<String> e = entry("now" + i);
            wheel.file(e, start + 100 * MS);
            now.add(e);
            wheel.file(entry("later" + i), start + 100 * MS + 3 * SLOTS * TICK); // the same slot, 3 turns on
        }
        assertEquals(2000, wheel.size());
        Set<String> due = new HashSet<>(expireAt(100));
        assertEquals(1000, due.size());
        assertTrue(due.stream().allMatch(s -> s.startsWith("now")), "only this turn's");
        assertEquals(1000, wheel.size());
        for (int turn = 1; turn < 3; turn++) assertEquals(List.of(), expireAt(100 + turn * SLOTS * TICK / MS));
        assertEquals(1000, new HashSet<>(expireAt(100 + 3 * SLOTS * TICK / MS)).size());
        assertEquals(0, wheel.size());
    }

    @Test
    void afterAPauseOfManyTurnsEverythingDueExpiresOnce() {
        Set<String> filed = new HashSet<>();
        for (int i = 0; i < 100; i++) {
            wheel.file(entry("e" + i), start + i * 37 * MS); // over 12 turns
            filed.add("e" + i);
        }
        List<String> due = expireAt(4000);
        assertEquals(filed, new HashSet<>(due));
        assertEquals(100, due.size());
        assertEquals(0, wheel.size());
    }

    @Test
    void whatIsFiledForThePastIsDueAtTheNextTick() {
        assertEquals(List.of(), expireAt(100));
        TimerWheel.Entry<String> a = entry("a");
        wheel.file(a, clock.nanoTime() - 1000 * MS);
        assertEquals(start + 120 * MS, wheel.dueNanos(a), "not at a tick already expired");
        assertEquals(List.of(), expireAt(100));
        assertEquals(List.of("a"), expireAt(120));
    }

    @Test
    void anExpiredEntryNotTakenYetCanBeMovedOrRemoved() {
        TimerWheel.Entry<String> a = entry("a");
        TimerWheel.Entry<String> b = entry("b");
        TimerWheel.Entry<String> c = entry("c");
        for (TimerWheel.Entry<String> e : List.of(a, b, c)) wheel.file(e, start + 20 * MS);
        clock.advance(Duration.ofMillis(20));
        assertEquals(3, wheel.expire(clock.nanoTime()));
        assertEquals(0, wheel.nanosUntilNextTick(clock.nanoTime()), "expired entries wait");
        wheel.remove(b);
        wheel.file(c, clock.nanoTime() + 100 * MS);
        assertEquals(2, wheel.size());
        assertEquals("a", wheel.pollDue().owner);
        assertNull(wheel.pollDue());
        assertEquals(List.of("c"), expireAt(120));
    }

    @Test
    void slotsArePowersOfTwo() {
        assertThrows(IllegalArgumentException.class, () -> new TimerWheel<String>(1000, TICK, start));
    }
}
