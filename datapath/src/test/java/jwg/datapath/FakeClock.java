package jwg.datapath;

import java.time.Duration;
import java.time.Instant;

/** A clock that moves only when told: monotonic nanoseconds and, in step with them, wall time. */
final class FakeClock implements Clock {
    private static final long START = 1_000_000_000_000L;
    private static final Instant START_WALL = Instant.parse("2026-01-01T00:00:00Z");
    private long nanos = START;

    @Override public long nanoTime() { return nanos; }

    @Override public Instant now() { return START_WALL.plusNanos(nanos - START); }

    void advance(Duration d) {
        nanos += d.toNanos();
    }
}
