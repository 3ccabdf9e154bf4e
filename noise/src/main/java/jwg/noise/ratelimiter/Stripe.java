package jwg.noise.ratelimiter;

import static jwg.noise.ratelimiter.RateLimiter.IDLE_TIMEOUT_NANOS;
import static jwg.noise.ratelimiter.RateLimiter.PACKET_COST_NANOS;
import static jwg.noise.ratelimiter.RateLimiter.TOKEN_MAX_NANOS;

import java.util.Arrays;

/**
 * One lock's share of a {@link RateLimiter} family: a bounded hash table with chaining through int
 * links in parallel arrays. The slot arrays start small and double as sources arrive, up to the
 * capacity (then no allocation at all), so an idle device holds a few KB, not its ceiling; the
 * bucket array has the capacity's size from the start. Keys are the 32-bit IPv4 address or the
 * 64-bit IPv6 prefix; tokens are counted in nanoseconds of credit, as in the kernel.
 */
final class Stripe {
    /** While full, expired entries are reclaimed at most this often (bounds the work a flood causes). */
    static final long SWEEP_INTERVAL_NANOS = IDLE_TIMEOUT_NANOS / 10;
    private static final int NONE = -1;

    /** Slots allocated at first, before any source arrives. */
    static final int INITIAL_SLOTS = 8;

    private final int capacity;
    private final int[] buckets; // first slot of each chain, or NONE
    private int[] next; // next slot in a chain, or in the free list
    private long[] keys;
    private long[] lastNanos;
    private long[] tokens;
    private int used; // slots [0, used) have held a source; the others were never handed out
    private int free; // first slot given back by a sweep, or NONE
    private boolean swept;
    private long lastSweepNanos;

    Stripe(int capacity) {
        this.capacity = capacity;
        buckets = new int[capacity == 1 ? 1 : Integer.highestOneBit(capacity - 1) << 1];
        Arrays.fill(buckets, NONE);
        int slots = Math.min(capacity, INITIAL_SLOTS);
        next = new int[slots];
        keys = new long[slots];
        lastNanos = new long[slots];
        tokens = new long[slots];
        free = NONE;
    }

    /** The slots allocated so far (for tests): at most the capacity. */
    synchronized int allocatedSlots() {
        return keys.length;
    }

    synchronized boolean allow(long key, int hash, long nowNanos) {
        int bucket = hash & (buckets.length - 1);
        for (int slot = buckets[bucket]; slot != NONE; slot = next[slot]) {
            if (keys[slot] == key) {
                return take(slot, nowNanos);
            }
        }
        int slot;
        if (free != NONE) {
            slot = free;
            free = next[slot];
        } else if (used < capacity) {
            if (used == keys.length) grow();
            slot = used++;
        } else if (sweepIfDue(nowNanos)) {
            slot = free;
            free = next[slot];
        } else {
            return false; // full: new sources are refused, as in the kernel
        }
        keys[slot] = key;
        lastNanos[slot] = nowNanos;
        tokens[slot] = TOKEN_MAX_NANOS - PACKET_COST_NANOS; // a new source sends its first packet
        next[slot] = buckets[bucket];
        buckets[bucket] = slot;
        return true;
    }

    /** Doubles the slot arrays, up to the capacity; slots keep their numbers, so chains stay as they are. */
    private void grow() {
        int n = (int) Math.min(capacity, 2L * keys.length);
        next = Arrays.copyOf(next, n);
        keys = Arrays.copyOf(keys, n);
        lastNanos = Arrays.copyOf(lastNanos, n);
        tokens = Arrays.copyOf(tokens, n);
    }

    /** Refills by the time elapsed (capped at the burst), then pays for one packet if it can. */
    private boolean take(int slot, long nowNanos) {
        long credit = tokens[slot];
        long elapsed = nowNanos - lastNanos[slot];
        if (elapsed > 0) { // a caller's slightly older clock reading must not move time back
            credit = elapsed >= TOKEN_MAX_NANOS ? TOKEN_MAX_NANOS : Math.min(TOKEN_MAX_NANOS, credit + elapsed);
            lastNanos[slot] = nowNanos;
        }
        boolean allowed = credit >= PACKET_COST_NANOS;
        tokens[slot] = allowed ? credit - PACKET_COST_NANOS : credit;
        return allowed;
    }

    /** Frees entries idle for more than IDLE_TIMEOUT, if not done recently; true if a slot is free. */
    private boolean sweepIfDue(long nowNanos) {
        if (swept && nowNanos - lastSweepNanos < SWEEP_INTERVAL_NANOS) {
            return false;
        }
        swept = true;
        lastSweepNanos = nowNanos;
        for (int b = 0; b < buckets.length; b++) {
            int previous = NONE;
            int slot = buckets[b];
            while (slot != NONE) {
                int following = next[slot];
                if (nowNanos - lastNanos[slot] > IDLE_TIMEOUT_NANOS) {
                    if (previous == NONE) {
                        buckets[b] = following;
                    } else {
                        next[previous] = following;
                    }
                    next[slot] = free;
                    free = slot;
                } else {
                    previous = slot;
                }
                slot = following;
            }
        }
        return free != NONE;
    }
}
