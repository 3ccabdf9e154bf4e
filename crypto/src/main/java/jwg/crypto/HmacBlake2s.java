package jwg.crypto;

import org.bouncycastle.crypto.digests.Blake2sDigest;

/** HMAC (RFC 2104) over BLAKE2s-256, 64-byte blocks: WireGuard's HMAC. */
public final class HmacBlake2s {
    private HmacBlake2s() {}

    private static final byte IPAD = 0x36;
    private static final byte OPAD = 0x5c;

    public static byte[] hmac(byte[] key, byte[] data) {
        byte[] out = new byte[Blake2s.HASH_LEN];
        hmac(key, data, data.length, out);
        return out;
    }

    /** out (32 bytes) = HMAC(key, data[0, len)). */
    static void hmac(byte[] key, byte[] data, int len, byte[] out) {
        Blake2sDigest d = Blake2s.unkeyed();
        // RFC 2104 section 2: a key longer than the block is hashed first; then zero-padded.
        byte[] pad = new byte[Blake2s.BLOCK_LEN];
        if (key.length > Blake2s.BLOCK_LEN) {
            d.update(key, 0, key.length);
            d.doFinal(pad, 0);
        } else {
            System.arraycopy(key, 0, pad, 0, key.length);
        }
        for (int i = 0; i < pad.length; i++) pad[i] ^= IPAD;
        d.update(pad, 0, pad.length);
        d.update(data, 0, len);
        d.doFinal(out, 0); // inner hash
        for (int i = 0; i < pad.length; i++) pad[i] ^= IPAD ^ OPAD;
        d.update(pad, 0, pad.length);
        d.update(out, 0, Blake2s.HASH_LEN);
        d.doFinal(out, 0);
        Wipe.wipe(pad);
    }
}
