package jwg.crypto;

/** HMAC (RFC 2104) over BLAKE2s-256, 64-byte blocks: WireGuard's HMAC. */
public final class HmacBlake2s {
    private HmacBlake2s() {}

    public static byte[] hmac(byte[] key, byte[] data) { throw new UnsupportedOperationException("TODO"); }
}
