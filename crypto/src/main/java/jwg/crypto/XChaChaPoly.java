package jwg.crypto;

/** XChaCha20-Poly1305 (draft-irtf-cfrg-xchacha): HChaCha20 subkey, then ChaCha20-Poly1305. For cookie replies. */
public final class XChaChaPoly {
    private XChaChaPoly() {}

    public static final int NONCE_LEN = 24;

    public static byte[] seal(byte[] key, byte[] nonce24, byte[] plaintext, byte[] aad) {
        byte[] subkey = subkey(key, nonce24);
        try {
            return ChaChaPoly.seal(subkey, chachaNonce(nonce24), plaintext, aad);
        } finally {
            Wipe.wipe(subkey);
        }
    }

    public static byte[] open(byte[] key, byte[] nonce24, byte[] ciphertext, byte[] aad) throws AuthenticationFailedException {
        byte[] subkey = subkey(key, nonce24);
        try {
            return ChaChaPoly.open(subkey, chachaNonce(nonce24), ciphertext, aad);
        } finally {
            Wipe.wipe(subkey);
        }
    }

    /** Draft section 2.3: the subkey is HChaCha20(key, nonce[0..16)). */
    private static byte[] subkey(byte[] key, byte[] nonce24) {
        if (nonce24.length != NONCE_LEN) throw new IllegalArgumentException("XChaCha20 nonces are 24 bytes");
        return HChaCha20.subkey(key, nonce24, 0);
    }

    /** Draft section 2.3: the ChaCha20 nonce is 4 zero bytes then nonce[16..24). */
    private static byte[] chachaNonce(byte[] nonce24) {
        byte[] nonce12 = new byte[JdkAead.NONCE_LEN];
        System.arraycopy(nonce24, HChaCha20.NONCE_LEN, nonce12, 4, 8);
        return nonce12;
    }
}
