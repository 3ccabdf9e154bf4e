package jwg.crypto;

/** Curve25519 Diffie-Hellman (RFC 7748). Private keys are clamped. */
public final class X25519 {
    private X25519() {}

    public static final int KEY_LEN = 32;

    /** A fresh random, clamped private key from a strong RNG. */
    public static byte[] generatePrivateKey() { throw new UnsupportedOperationException("TODO"); }

    /** The public key of a private key (clamped first, as `wg pubkey` does). */
    public static byte[] publicKey(byte[] privateKey) { throw new UnsupportedOperationException("TODO"); }

    /**
     * DH(private, public) into out (32 bytes). Returns false, with out zeroed, when the result is
     * all zeros (a low-order public key): the handshake must then be rejected.
     */
    public static boolean sharedSecret(byte[] privateKey, byte[] publicKey, byte[] out) { throw new UnsupportedOperationException("TODO"); }
}
