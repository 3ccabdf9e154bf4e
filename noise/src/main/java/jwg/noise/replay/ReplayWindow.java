package jwg.noise.replay;

/**
 * Sliding window against replayed transport messages (whitepaper 5.4.6; RFC 6479 style bitmap of
 * 8192 bits, of which Protocol.REPLAY_WINDOW_SIZE = 8128 are the usable window).
 * Not thread-safe: the owner serializes calls.
 */
public final class ReplayWindow {
    public ReplayWindow() { throw new UnsupportedOperationException("TODO"); }

    /**
     * Called after a message with this counter authenticated. Returns true and records the counter
     * if it is new and within the window; false if replayed, too old, or counter is
     * REJECT_AFTER_MESSAGES or above (compared unsigned).
     */
    public boolean accept(long counter) { throw new UnsupportedOperationException("TODO"); }

    /** Forgets everything (a new keypair). */
    public void reset() { throw new UnsupportedOperationException("TODO"); }
}
