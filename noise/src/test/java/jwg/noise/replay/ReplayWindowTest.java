package jwg.noise.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jwg.noise.Protocol;
import org.junit.jupiter.api.Test;

class ReplayWindowTest {
    private static final long W = Protocol.REPLAY_WINDOW_SIZE;
    private static final long REJECT = Protocol.REJECT_AFTER_MESSAGES;

    private final ReplayWindow window = new ReplayWindow();

    @Test
    void windowIsTheRingLessOneWord() {
        assertEquals(8192 - 64, W);
    }

    @Test
    void sequentialCountersAreAcceptedOnce() {
        for (long c = 0; c < 3 * 8192; c++) {
            assertTrue(window.accept(c), "counter " + c);
            assertFalse(window.accept(c), "replay of " + c);
        }
    }

    @Test
    void outOfOrderWithinTheWindow() {
        assertTrue(window.accept(100));
        assertTrue(window.accept(50));
        assertTrue(window.accept(99));
        assertTrue(window.accept(0));
        assertFalse(window.accept(50));
        assertFalse(window.accept(100));
        assertTrue(window.accept(101));
        assertFalse(window.accept(99));
    }

    @Test
    void windowEdgeBehindTheGreatest() {
        long greatest = 20_000;
        assertTrue(window.accept(greatest));
        assertFalse(window.accept(greatest - W - 1), "one past the edge is too old");
        assertTrue(window.accept(greatest - W), "exactly at the edge is accepted");
        assertFalse(window.accept(greatest - W), "and only once");
        assertTrue(window.accept(greatest - 1));
    }

    @Test
    void windowEdgeAheadMovesTheWindow() {
        assertTrue(window.accept(0));
        assertTrue(window.accept(W), "0 is still exactly at the edge");
        assertFalse(window.accept(0), "a replay at the edge");
        assertTrue(window.accept(W + 1), "now 0 would be one past the edge");
        assertFalse(window.accept(0));
        assertTrue(window.accept(1), "1 is exactly at the edge");
    }

    @Test
    void jumpOfExactlyOneRingClearsTheReusedSlot() {
        assertTrue(window.accept(100));
        // Same word and bit of the ring as 100: stale bits must have been cleared.
        assertTrue(window.accept(100 + 8192));
        assertFalse(window.accept(100));
    }

    @Test
    void bigJumpClearsTheWholeRing() {
        for (long c = 0; c < 8192; c++) {
            assertTrue(window.accept(c));
        }
        long far = (1L << 40) + 12345;
        assertTrue(window.accept(far));
        for (long c = far - W; c < far; c++) {
            assertTrue(window.accept(c), "counter " + c + " was never seen");
        }
        assertFalse(window.accept(far - W - 1));
        assertFalse(window.accept(8191));
    }

    @Test
    void countersAreUnsigned() {
        long half = Long.MIN_VALUE; // 2^63
        assertTrue(window.accept(half));
        assertTrue(window.accept(half - 1), "2^63 - 1 is just behind, in the window");
        assertFalse(window.accept(5), "far behind, not a large signed value ahead");
        assertTrue(window.accept(half + 1));
    }

    @Test
    void rejectAfterMessagesIsEnforced() {
        assertFalse(window.accept(REJECT));
        assertFalse(window.accept(REJECT + 1));
        assertFalse(window.accept(-1L), "2^64 - 1");
        assertTrue(window.accept(REJECT - 1), "the last usable counter");
        assertFalse(window.accept(REJECT - 1));
        assertFalse(window.accept(REJECT));
    }

    @Test
    void resetForgetsEverything() {
        assertTrue(window.accept(5));
        assertTrue(window.accept(1_000_000));
        window.reset();
        assertTrue(window.accept(5));
        assertTrue(window.accept(0));
        assertTrue(window.accept(1_000_000));
    }

    /** The cases of wireguard-go replay_test.go (ported there from the kernel's selftest/counter.c). */
    @Test
    void wireguardGoTable() {
        long lim = W + 1;
        long[][] table = {
            {0, 1}, {1, 1}, {1, 0}, {9, 1}, {8, 1}, {7, 1}, {7, 0},
            {lim, 1}, {lim - 1, 1}, {lim - 1, 0}, {lim - 2, 1}, {2, 1}, {2, 0},
            {lim + 16, 1}, {3, 0}, {lim + 16, 0},
            {lim * 4, 1}, {lim * 4 - (lim - 1), 1}, {10, 0}, {lim * 4 - lim, 0},
            {lim * 4 - (lim + 1), 0}, {lim * 4 - (lim - 2), 1}, {lim * 4 + 1 - lim, 0}, {0, 0},
            {REJECT, 0}, {REJECT - 1, 1}, {REJECT, 0}, {REJECT - 1, 0}, {REJECT - 2, 1},
            {REJECT + 1, 0}, {REJECT + 2, 0}, {REJECT - 2, 0}, {REJECT - 3, 1}, {0, 0},
        };
        for (int i = 0; i < table.length; i++) {
            assertEquals(table[i][1] == 1, window.accept(table[i][0]), "case " + (i + 1));
        }
    }

    @Test
    void wireguardGoBulk1() {
        for (long i = 1; i <= W; i++) {
            assertTrue(window.accept(i));
        }
        assertTrue(window.accept(0));
        assertFalse(window.accept(0));
    }

    @Test
    void wireguardGoBulk2() {
        for (long i = 2; i <= W + 1; i++) {
            assertTrue(window.accept(i));
        }
        assertTrue(window.accept(1));
        assertFalse(window.accept(0));
    }

    @Test
    void wireguardGoBulk3() {
        for (long i = W + 1; i > 0; i--) {
            assertTrue(window.accept(i));
        }
    }

    @Test
    void wireguardGoBulk4() {
        for (long i = W + 2; i > 1; i--) {
            assertTrue(window.accept(i));
        }
        assertFalse(window.accept(0));
    }

    @Test
    void wireguardGoBulk5() {
        for (long i = W; i > 0; i--) {
            assertTrue(window.accept(i));
        }
        assertTrue(window.accept(W + 1));
        assertFalse(window.accept(0));
    }

    @Test
    void wireguardGoBulk6() {
        for (long i = W; i > 0; i--) {
            assertTrue(window.accept(i));
        }
        assertTrue(window.accept(0));
        assertTrue(window.accept(W + 1));
    }
}
