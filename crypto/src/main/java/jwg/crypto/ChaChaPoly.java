package jwg.crypto;

/**
 * ChaCha20-Poly1305 (RFC 8439) on byte arrays with WireGuard's nonce: 32 zero bits then the
 * 64-bit counter, little-endian (whitepaper 5.4). For the handshake; the datapath uses PacketAead.
 */
public final class ChaChaPoly {
    private ChaChaPoly() {}

    /** AEAD(key, counter, plaintext, aad): ciphertext followed by the 16-byte tag. */
    public static byte[] seal(byte[] key, long counter, byte[] plaintext, byte[] aad) { throw new UnsupportedOperationException("TODO"); }

    /** The plaintext of ciphertext||tag, or AuthenticationFailedException. */
    public static byte[] open(byte[] key, long counter, byte[] ciphertext, byte[] aad) throws AuthenticationFailedException { throw new UnsupportedOperationException("TODO"); }
}
