package jwg.crypto;

import java.time.Instant;

/**
 * TAI64N timestamps (12 bytes, big-endian) as the handshake initiation carries them
 * (whitepaper 5.4.2). Nanoseconds are rounded down to a multiple of 2^24 ns, as the kernel and
 * wireguard-go do, so the timestamp does not leak a precise clock.
 */
public final class Tai64n {
    private Tai64n() {}

    public static final int LEN = 12;

    public static byte[] of(Instant instant) { throw new UnsupportedOperationException("TODO"); }

    /** True if a is strictly later than b (both 12 bytes): compared as unsigned big-endian. */
    public static boolean isAfter(byte[] a, byte[] b) { throw new UnsupportedOperationException("TODO"); }
}
