package jwg.datapath;

import java.time.Instant;

/**
 * The device's clocks: monotonic nanoseconds for the protocol's timers and deadlines, wall time
 * for handshake timestamps (TAI64N) and the time of the last handshake. {@link #SYSTEM} in a
 * device; tests move a clock of their own.
 */
interface Clock {
    long nanoTime();

    Instant now();

    Clock SYSTEM = new Clock() {
        @Override public long nanoTime() { return System.nanoTime(); }

        @Override public Instant now() { return Instant.now(); }
    };
}
