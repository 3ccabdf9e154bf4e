package jwg.crypto;

/** XChaCha20-Poly1305 (draft-irtf-cfrg-xchacha): HChaCha20 subkey, then ChaCha20-Poly1305. For cookie replies. */
public final class XChaChaPoly {
    private XChaChaPoly() {}

    public static final int NONCE_LEN = 24;

    public static byte[] seal(byte[] key, byte[] nonce24, byte[] plaintext, byte[] aad) { throw new UnsupportedOperationException("TODO"); }

    public static byte[] open(byte[] key, byte[] nonce24, byte[] ciphertext, byte[] aad) throws AuthenticationFailedException { throw new UnsupportedOperationException("TODO"); }
}
