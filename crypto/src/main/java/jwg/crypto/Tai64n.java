package jwg.crypto;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Arrays;

/**
 * TAI64N timestamps (12 bytes, big-endian) as the handshake initiation carries them
 * (whitepaper 5.4.2). Nanoseconds are rounded down to a multiple of 2^24 ns, as the kernel and
 * wireguard-go do, so the timestamp does not leak a precise clock.
 */
public final class Tai64n {
    private Tai64n() {}

    public static final int LEN = 12;

    /**
     * The TAI64 label of the Unix epoch: 2^62 + 10 (TAI was 10 s ahead of UTC in 1970), the
     * constant of wireguard-go's tai64n.go (base = 0x400000000000000a). Later leap seconds are
     * ignored there and here: a responder only compares a peer's timestamps with that peer's
     * earlier ones (whitepaper 5.1), so only their order matters.
     */
    private static final long EPOCH_LABEL = 0x400000000000000aL;
    /** wireguard-go's whitenerMask; the kernel rounds down to rounddown_pow_of_two(NSEC_PER_SEC / 50). */
    private static final int WHITENER_MASK = 0x1000000 - 1;

    public static byte[] of(Instant instant) {
        byte[] out = new byte[LEN];
        ByteBuffer.wrap(out)
                .putLong(EPOCH_LABEL + instant.getEpochSecond())
                .putInt(instant.getNano() & ~WHITENER_MASK);
        return out;
    }

    /** True if a is strictly later than b (both 12 bytes): compared as unsigned big-endian. */
    public static boolean isAfter(byte[] a, byte[] b) {
        if (a.length != LEN || b.length != LEN) throw new IllegalArgumentException("TAI64N timestamps are 12 bytes");
        return Arrays.compareUnsigned(a, b) > 0;
    }
}
