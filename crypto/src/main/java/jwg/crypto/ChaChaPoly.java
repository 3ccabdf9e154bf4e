package jwg.crypto;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;

/**
 * ChaCha20-Poly1305 (RFC 8439) on byte arrays with WireGuard's nonce: 32 zero bits then the
 * 64-bit counter, little-endian (whitepaper 5.4). For the handshake; the datapath uses PacketAead.
 */
public final class ChaChaPoly {
    private ChaChaPoly() {}

    private static final ThreadLocal<JdkAead> AEAD = ThreadLocal.withInitial(JdkAead::new);

    /** AEAD(key, counter, plaintext, aad): ciphertext followed by the 16-byte tag. */
    public static byte[] seal(byte[] key, long counter, byte[] plaintext, byte[] aad) {
        JdkAead aead = AEAD.get();
        return seal(aead, key, aead.counterNonce(counter), plaintext, aad);
    }

    /** The plaintext of ciphertext||tag, or AuthenticationFailedException. */
    public static byte[] open(byte[] key, long counter, byte[] ciphertext, byte[] aad) throws AuthenticationFailedException {
        JdkAead aead = AEAD.get();
        return open(aead, key, aead.counterNonce(counter), ciphertext, aad);
    }

    /** RFC 8439 section 2.8 with any 96-bit nonce: for XChaCha20-Poly1305 and the RFC's vectors. */
    static byte[] seal(byte[] key, byte[] nonce12, byte[] plaintext, byte[] aad) {
        return seal(AEAD.get(), key, nonce12, plaintext, aad);
    }

    static byte[] open(byte[] key, byte[] nonce12, byte[] ciphertext, byte[] aad) throws AuthenticationFailedException {
        return open(AEAD.get(), key, nonce12, ciphertext, aad);
    }

    private static byte[] seal(JdkAead aead, byte[] key, byte[] nonce12, byte[] plaintext, byte[] aad) {
        Cipher cipher = aead.init(Cipher.ENCRYPT_MODE, new ChaChaKey(key), nonce12);
        if (aad != null) cipher.updateAAD(aad);
        byte[] out = new byte[plaintext.length + JdkAead.TAG_LEN];
        try {
            aead.doFinal(plaintext, 0, plaintext.length, out, 0);
        } catch (AEADBadTagException e) {
            throw new IllegalStateException(e); // only decryption verifies a tag
        }
        return out;
    }

    private static byte[] open(JdkAead aead, byte[] key, byte[] nonce12, byte[] ciphertext, byte[] aad)
            throws AuthenticationFailedException {
        if (ciphertext.length < JdkAead.TAG_LEN) throw new AuthenticationFailedException();
        Cipher cipher = aead.init(Cipher.DECRYPT_MODE, new ChaChaKey(key), nonce12);
        if (aad != null) cipher.updateAAD(aad);
        byte[] out = new byte[ciphertext.length - JdkAead.TAG_LEN];
        try {
            aead.doFinal(ciphertext, 0, ciphertext.length, out, 0);
        } catch (AEADBadTagException e) {
            // SunJCE checks the tag before it decrypts: out holds no plaintext of a forgery.
            throw new AuthenticationFailedException();
        }
        return out;
    }
}
