package jwg.datapath;

import java.util.concurrent.atomic.AtomicLongArray;
import jwg.noise.DropReason;

/**
 * Counts every dropped packet by reason and reports the counts in a log line at most once per
 * {@link Limits#DROP_REPORT_INTERVAL_NANOS} per reason, so that a flood of bad packets costs a counter
 * increment each and never floods the log.
 */
public final class Drops {
    private static final Drop[] DROPS = Drop.values();
    private static final DropReason[] REASONS = DropReason.values();

    private final AtomicLongArray counts = new AtomicLongArray(DROPS.length + REASONS.length);
    private final AtomicLongArray reported = new AtomicLongArray(DROPS.length + REASONS.length);
    private final AtomicLongArray lastReport = new AtomicLongArray(DROPS.length + REASONS.length);

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
        long n = counts.incrementAndGet(i);
        long last = lastReport.get(i);
        if ((last == 0 || nowNanos - last >= Limits.DROP_REPORT_INTERVAL_NANOS) && lastReport.compareAndSet(i, last, nowNanos | 1)) {
            long since = n - reported.getAndSet(i, n);
            Log.info("dropped " + since + (since == 1 ? " packet: " : " packets: ") + name(i).toLowerCase().replace('_', ' ')
                    + " (" + n + " in all; next report in " + Limits.DROP_REPORT_INTERVAL_NANOS / 1_000_000_000L + " s at the earliest)");
        }
    }

    private static String name(int i) {
        return i < DROPS.length ? DROPS[i].name() : REASONS[i - DROPS.length].name();
    }
}
