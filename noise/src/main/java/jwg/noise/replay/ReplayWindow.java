package jwg.noise.replay;

import java.util.Arrays;
import jwg.noise.Protocol;

/**
 * Sliding window against replayed transport messages (whitepaper 5.4.6; RFC 6479 style bitmap of
 * 8192 bits, of which Protocol.REPLAY_WINDOW_SIZE = 8128 are the usable window).
 * Not thread-safe: the owner serializes calls.
 *
 * <p>RFC 6479: the bitmap is a ring of 64-bit words; moving the window forward zeroes the words it
 * enters instead of shifting bits. One word more than the window is kept so that the word holding
 * the oldest acceptable counter is never zeroed while it is still in the window. As in the kernel's
 * counter_validate, {@code greatest} holds the greatest accepted counter plus one, so that 0 means
 * "nothing accepted yet" and a reset is a fill with zeros. All counters are unsigned 64-bit.
 */
public final class ReplayWindow {
    private static final int RING_BITS = 8192;
    private static final int WORD_BITS = Long.SIZE;
    private static final int LOG_WORD_BITS = 6;
    private static final int RING_WORDS = RING_BITS / WORD_BITS;
    // Correct only while Protocol.REPLAY_WINDOW_SIZE <= RING_BITS - WORD_BITS (it is equal).

    private final long[] ring = new long[RING_WORDS];
    /** Greatest accepted counter + 1, unsigned; 0 before the first accepted counter. */
    private long greatest;

    public ReplayWindow() {}

    /**
     * Called after a message with this counter authenticated. Returns true and records the counter
     * if it is new and within the window; false if replayed, too old, or counter is
     * REJECT_AFTER_MESSAGES or above (compared unsigned).
     */
    public boolean accept(long counter) {
        // Whitepaper 6.2: no message may use a counter of REJECT_AFTER_MESSAGES or more.
        if (Long.compareUnsigned(counter, Protocol.REJECT_AFTER_MESSAGES) >= 0) {
            return false;
        }
        long position = counter + 1; // cannot wrap: counter < 2^64 - 2^13 - 1
        // Too old: more than the window behind the greatest counter seen (no wrap either).
        if (Long.compareUnsigned(position + Protocol.REPLAY_WINDOW_SIZE, greatest) < 0) {
            return false;
        }
        long wordIndex = position >>> LOG_WORD_BITS;
        if (Long.compareUnsigned(position, greatest) > 0) {
            advanceTo(position, wordIndex);
        }
        int word = (int) (wordIndex & (RING_WORDS - 1));
        long bit = 1L << (position & (WORD_BITS - 1));
        long old = ring[word];
        ring[word] = old | bit;
        return (old & bit) == 0;
    }

    /** Forgets everything (a new keypair). */
    public void reset() {
        Arrays.fill(ring, 0L);
        greatest = 0;
    }

    /** Zeroes the ring words between the current greatest and the new one (at most the whole ring). */
    private void advanceTo(long position, long wordIndex) {
        long currentWord = greatest >>> LOG_WORD_BITS;
        long distance = wordIndex - currentWord; // >= 0 since position > greatest
        int words = Long.compareUnsigned(distance, RING_WORDS) < 0 ? (int) distance : RING_WORDS;
        for (int i = 1; i <= words; i++) {
            ring[(int) ((currentWord + i) & (RING_WORDS - 1))] = 0L;
        }
        greatest = position;
    }
}
