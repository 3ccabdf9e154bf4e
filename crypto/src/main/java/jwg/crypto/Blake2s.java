package jwg.crypto;

import org.bouncycastle.crypto.digests.Blake2sDigest;

/** BLAKE2s (RFC 7693) as WireGuard uses it: HASH (256-bit) and MAC (keyed, 128-bit). */
public final class Blake2s {
    private Blake2s() {}

    public static final int HASH_LEN = 32;
    public static final int MAC_LEN = 16;
    /** RFC 7693 section 2.1: bb = 64 bytes per block. */
    static final int BLOCK_LEN = 64;
    private static final int MAX_KEY_LEN = 32;

    /** One unkeyed BLAKE2s-256 state per thread, reset before each use. */
    private static final ThreadLocal<Blake2sDigest> HASH = ThreadLocal.withInitial(Blake2sDigest::new);

    /** HASH(parts[0] || parts[1] || ...): unkeyed BLAKE2s-256. */
    public static byte[] hash(byte[]... parts) {
        Blake2sDigest d = unkeyed();
        for (byte[] p : parts) d.update(p, 0, p.length);
        byte[] out = new byte[HASH_LEN];
        d.doFinal(out, 0);
        return out;
    }

    /** MAC(key, data[off, off+len)): BLAKE2s keyed with key (1..32 bytes), 16-byte output. */
    public static byte[] mac(byte[] key, byte[] data, int off, int len) {
        Blake2sDigest d = newKeyed(key, MAC_LEN);
        d.update(data, off, len);
        return finish(d, MAC_LEN);
    }

    /** MAC(key, parts[0] || parts[1] || ...). */
    public static byte[] mac(byte[] key, byte[]... parts) {
        return keyed(key, MAC_LEN, parts);
    }

    /** Keyed BLAKE2s with any output length 1..32 (RFC 7693 section 2.5): MAC is outLen 16. */
    static byte[] keyed(byte[] key, int outLen, byte[]... parts) {
        Blake2sDigest d = newKeyed(key, outLen);
        for (byte[] p : parts) d.update(p, 0, p.length);
        return finish(d, outLen);
    }

    /** This thread's unkeyed BLAKE2s-256 state, reset: for HMAC. */
    static Blake2sDigest unkeyed() {
        Blake2sDigest d = HASH.get();
        d.reset(); // a caller that threw half-way may have left input behind
        return d;
    }

    private static Blake2sDigest newKeyed(byte[] key, int outLen) {
        if (key.length < 1 || key.length > MAX_KEY_LEN) throw new IllegalArgumentException("BLAKE2s keys are 1..32 bytes");
        return new Blake2sDigest(key, outLen, null, null);
    }

    private static byte[] finish(Blake2sDigest d, int outLen) {
        byte[] out = new byte[outLen];
        d.doFinal(out, 0);
        d.clearKey(); // the digest's copies of the key: its key field and its key block
        return out;
    }
}
