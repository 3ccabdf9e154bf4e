package jwg.crypto;

/**
 * A 32-byte ChaCha20-Poly1305 transport key held in the form the datapath's AEAD wants, made once
 * per keypair. Thread-safe to share; wipe() when the keypair is dropped.
 *
 * <p>What wipe() reaches: this object's copy of the key (it holds no SecretKeySpec, whose copy
 * could not be overwritten). What it cannot reach: the array the constructor was given (the
 * caller wipes that), and the key copy inside each JDK Cipher that last used this key, which that
 * Cipher zeroes at its next init, i.e. at the next packet its PacketAead handles. With the OpenSSL
 * backend, the 32 bytes copied to native memory for each init are zeroed right after it; each of
 * the PacketAead's two EVP_CIPHER_CTXs (one to seal, one to open) keeps the last key it was given
 * until another key replaces it or the PacketAead is closed, and refuses this key once it is wiped.
 */
public final class SessionKey implements AutoCloseable {
    final ChaChaKey key;

    public SessionKey(byte[] key32) {
        if (key32.length != ChaChaKey.LEN) throw new IllegalArgumentException("session keys are 32 bytes");
        this.key = new ChaChaKey(key32.clone());
    }

    /** Overwrites the key material; the key must not be used afterwards. */
    public void wipe() { key.destroy(); }

    @Override public void close() { wipe(); }
}
