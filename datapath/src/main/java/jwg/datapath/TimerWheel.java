package jwg.datapath;

import jwg.noise.timers.PeerTimers;

/**
 * A hashed timing wheel (Varghese and Lauck, "Hashed and Hierarchical Timing Wheels", SOSP 1987;
 * the scheme of the kernel's timer wheel and Netty's HashedWheelTimer): time is cut into ticks,
 * and an entry due at tick t waits in slot t mod slots, a list, whatever the turn. Filing, moving
 * and removing an entry cost O(1); {@link #expire} visits the slots of the ticks that passed, and
 * in them the entries due and those due a turn or more later (a deadline a turn away is visited
 * once a turn). Intrusive: an entry is its own node of its slot's list, made once with its owner,
 * so nothing is allocated after that.
 *
 * <p>Ticks are counted from the time the wheel was made; an entry is due at the first tick at or
 * after its deadline, so it expires up to a tick late, never early. Expired entries wait on a due
 * list until {@link #pollDue} takes them, one at a time: whoever handles one may file, move or
 * remove any entry meanwhile, the others on the due list included.
 *
 * <p>Not thread-safe: the device's loop (see the package documentation).
 */
final class TimerWheel<T> {
    /** An owner's place in the wheel: in no list, in a slot, or on the due list. */
    static class Entry<T> {
        final T owner;
        private Entry<T> prev;
        private Entry<T> next;
        private long tick;
        private byte where = NOWHERE;

        Entry(T owner) {
            this.owner = owner;
        }
    }

    private static final byte NOWHERE = 0;
    private static final byte IN_SLOT = 1;
    private static final byte DUE = 2;

    private final long tickNanos;
    /** The time of tick 0. */
    private final long originNanos;
    private final Entry<T>[] slots;
    private final int mask;
    /** The first tick not expired yet: no entry is filed before it. */
    private long cursor;
    /** The first entry expired and not taken yet. */
    private Entry<T> due;
    private int size;

    /** A wheel of slots (a power of two) tickNanos apart, its tick 0 at nowNanos. */
    @SuppressWarnings("unchecked")
    TimerWheel(int slots, long tickNanos, long nowNanos) {
        if (Integer.bitCount(slots) != 1) throw new IllegalArgumentException("slots must be a power of two: " + slots);
        this.slots = (Entry<T>[]) new Entry<?>[slots];
        this.mask = slots - 1;
        this.tickNanos = tickNanos;
        this.originNanos = nowNanos;
    }

    /**
     * Files e to be due at the first tick at or after deadlineNanos, but not before the first tick
     * not yet expired; wherever it was (a slot, the due list), it is moved.
     */
    void file(Entry<T> e, long deadlineNanos) {
        long t = Math.max(cursor, Math.ceilDiv(deadlineNanos - originNanos, tickNanos));
        if (e.where == IN_SLOT && e.tick == t) return;
        unlink(e);
        e.tick = t;
        link(e, IN_SLOT);
    }

    /** Takes e out of the wheel, if it is in it. */
    void remove(Entry<T> e) {
        unlink(e);
    }

    /** The entries in the wheel, the due list's among them. */
    int size() {
        return size;
    }

    /** When the filed e is due: the time of its tick. */
    long dueNanos(Entry<T> e) {
        return originNanos + e.tick * tickNanos;
    }

    /**
     * Nanoseconds from nowNanos until the next tick whose slot holds an entry (0 if it has passed
     * or expired entries wait), or {@link PeerTimers#NO_DEADLINE} if the wheel is empty. That slot
     * may hold only entries of later turns: expiring it then moves nothing, and this names the next.
     */
    long nanosUntilNextTick(long nowNanos) {
        if (due != null) return 0;
        if (size == 0) return PeerTimers.NO_DEADLINE;
        long t = cursor;
        while (slots[slot(t)] == null) t++; // within one turn: some slot holds an entry
        return Math.max(0, originNanos + t * tickNanos - nowNanos);
    }

    /**
     * Moves every entry whose tick is at or before nowNanos to the due list, for {@link #pollDue};
     * returns how many. Entries filed from now on are due at the next tick at the earliest.
     */
    int expire(long nowNanos) {
        long last = Math.floorDiv(nowNanos - originNanos, tickNanos);
        int n = 0;
        // Each slot once at most: after a turn or more (a long pause of the loop) all are visited.
        for (long t = cursor, end = Math.min(last, cursor + mask); t <= end; t++) {
            Entry<T> next;
            for (Entry<T> e = slots[slot(t)]; e != null; e = next) {
                next = e.next;
                if (e.tick <= last) {
                    unlink(e);
                    link(e, DUE);
                    n++;
                }
            }
        }
        cursor = Math.max(cursor, last + 1);
        return n;
    }

    /** An expired entry, taken out of the wheel; null when none is left. In no particular order. */
    Entry<T> pollDue() {
        Entry<T> e = due;
        if (e != null) unlink(e);
        return e;
    }

    private int slot(long tick) {
        return (int) tick & mask;
    }

    private void link(Entry<T> e, byte where) {
        Entry<T> head = where == DUE ? due : slots[slot(e.tick)];
        e.next = head;
        if (head != null) head.prev = e;
        if (where == DUE) due = e;
        else slots[slot(e.tick)] = e;
        e.where = where;
        size++;
    }

    private void unlink(Entry<T> e) {
        if (e.where == NOWHERE) return;
        if (e.prev != null) e.prev.next = e.next;
        else if (e.where == DUE) due = e.next;
        else slots[slot(e.tick)] = e.next;
        if (e.next != null) e.next.prev = e.prev;
        e.prev = null;
        e.next = null;
        e.where = NOWHERE;
        size--;
    }
}
