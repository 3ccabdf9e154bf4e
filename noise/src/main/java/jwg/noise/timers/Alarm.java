package jwg.noise.timers;

/**
 * When a {@link PeerTimers} wants to be polled next, for a scheduler that polls each peer at its
 * own deadline instead of every peer on every tick: set whenever the peer's earliest pending
 * deadline comes before the one set last (or none is set), and after each {@link PeerTimers#poll}
 * that returns null with timers still pending. Deadlines that move later set nothing: the alarm
 * then rings early, the poll finds nothing due and sets it again. So the packet path (which pushes
 * deadlines later, mostly) costs a comparison, and one peer's alarm is set at most once per event.
 *
 * <p>Called on the thread that owns the PeerTimers, from within its events and polls.
 */
public interface Alarm {
    /**
     * Poll at deadlineNanos (as System.nanoTime; a little later will do) until null. Replaces the
     * deadline set before: that one was later, unless a poll just returned null.
     */
    void set(long deadlineNanos);

    /** Nothing is pending any more ({@link PeerTimers#stop}): the alarm set before need not ring. */
    void cancel();

    /** For a caller that polls on its own schedule, by {@link PeerTimers#nanosUntilNextDeadline}. */
    Alarm NONE = new Alarm() {
        @Override public void set(long deadlineNanos) {}

        @Override public void cancel() {}
    };
}
