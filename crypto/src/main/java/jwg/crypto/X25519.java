package jwg.crypto;

import java.security.SecureRandom;

/** Curve25519 Diffie-Hellman (RFC 7748). Private keys are clamped. */
public final class X25519 {
    private X25519() {}

    public static final int KEY_LEN = 32;

    private static final SecureRandom RANDOM = new SecureRandom();

    /** A fresh random, clamped private key from a strong RNG. */
    public static byte[] generatePrivateKey() {
        byte[] k = new byte[KEY_LEN];
        RANDOM.nextBytes(k);
        clamp(k);
        return k;
    }

    /** The public key of a private key (clamped first, as `wg pubkey` does). */
    public static byte[] publicKey(byte[] privateKey) {
        checkLength(privateKey);
        byte[] k = privateKey.clone();
        clamp(k);
        byte[] pub = new byte[KEY_LEN];
        org.bouncycastle.math.ec.rfc7748.X25519.scalarMultBase(k, 0, pub, 0);
        Wipe.wipe(k);
        return pub;
    }

    /**
     * DH(private, public) into out (32 bytes). Returns false, with out zeroed, when the result is
     * all zeros (a low-order public key): the handshake must then be rejected.
     */
    public static boolean sharedSecret(byte[] privateKey, byte[] publicKey, byte[] out) {
        checkLength(privateKey);
        checkLength(publicKey);
        checkLength(out);
        // RFC 7748 section 5: BouncyCastle's X25519 decodes the scalar clamped and masks the
        // top bit of u, as the RFC's function does.
        org.bouncycastle.math.ec.rfc7748.X25519.scalarMult(privateKey, 0, publicKey, 0, out, 0);
        // RFC 7748 section 6.1: check for the all-zero value, without branching on the secret.
        return !ConstantTime.isZero(out);
    }

    /** RFC 7748 section 5, decodeScalar25519, in place: the private key as the DH uses it. */
    public static void clamp(byte[] k) {
        checkLength(k);
        k[0] &= (byte) 248;
        k[31] &= 127;
        k[31] |= 64;
    }

    private static void checkLength(byte[] key) {
        if (key.length != KEY_LEN) throw new IllegalArgumentException("X25519 keys are 32 bytes");
    }
}
