package jwg.datapath;

import java.util.concurrent.atomic.AtomicLongArray;
import jwg.noise.DropReason;

/**
 * Counts every dropped packet by reason and reports the counts in a log line at most once per
 * {@link Limits#DROP_REPORT_INTERVAL_NANOS} per reason, so that a flood of bad packets costs a counter
 * increment each and never floods the log.
 *
 * <p>Counted on the device's event loop only; {@link #get} may be called from any thread. So the
 * counts are written by one thread with release stores (plain stores on x86-64, no atomic
 * read-modify-write) and read with volatile loads; the report bookkeeping is the loop's alone.
 */
public final class Drops {
    private static final Drop[] DROPS = Drop.values();
    private static final DropReason[] REASONS = DropReason.values();

    private final AtomicLongArray counts = new AtomicLongArray(DROPS.length + REASONS.length);
    private final long[] reported = new long[DROPS.length + REASONS.length];
    private final long[] lastReport = new long[DROPS.length + REASONS.length];

    public void count(Drop d, long nowNanos) {
        count(d.ordinal(), nowNanos);
    }

    public void count(DropReason r, long nowNanos) {
        count(DROPS.length + r.ordinal(), nowNanos);
    }

    public long get(Drop d) {
        return counts.get(d.ordinal());
    }

    public long get(DropReason r) {
        return counts.get(DROPS.length + r.ordinal());
    }

    private void count(int i, long nowNanos) {
        long n = counts.getPlain(i) + 1;
        counts.setRelease(i, n);
        long last = lastReport[i];
        if (last == 0 || nowNanos - last >= Limits.DROP_REPORT_INTERVAL_NANOS) {
            lastReport[i] = nowNanos | 1;
            long since = n - reported[i];
            reported[i] = n;
            Log.info("dropped " + since + (since == 1 ? " packet: " : " packets: ") + name(i).toLowerCase().replace('_', ' ')
                    + " (" + n + " in all; next report in " + Limits.DROP_REPORT_INTERVAL_NANOS / 1_000_000_000L + " s at the earliest)");
        }
    }

    private static String name(int i) {
        return i < DROPS.length ? DROPS[i].name() : REASONS[i - DROPS.length].name();
    }
}
