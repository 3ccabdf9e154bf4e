package jwg.crypto;

/** BLAKE2s (RFC 7693) as WireGuard uses it: HASH (256-bit) and MAC (keyed, 128-bit). */
public final class Blake2s {
    private Blake2s() {}

    public static final int HASH_LEN = 32;
    public static final int MAC_LEN = 16;

    /** HASH(parts[0] || parts[1] || ...): unkeyed BLAKE2s-256. */
    public static byte[] hash(byte[]... parts) { throw new UnsupportedOperationException("TODO"); }

    /** MAC(key, data[off, off+len)): BLAKE2s keyed with key (1..32 bytes), 16-byte output. */
    public static byte[] mac(byte[] key, byte[] data, int off, int len) { throw new UnsupportedOperationException("TODO"); }

    /** MAC(key, parts[0] || parts[1] || ...). */
    public static byte[] mac(byte[] key, byte[]... parts) { throw new UnsupportedOperationException("TODO"); }
}
