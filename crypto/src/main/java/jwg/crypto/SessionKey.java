package jwg.crypto;

/**
 * A 32-byte ChaCha20-Poly1305 transport key held in the form the datapath's AEAD wants, made once
 * per keypair. Thread-safe to share; wipe() when the keypair is dropped.
 */
public final class SessionKey implements AutoCloseable {
    public SessionKey(byte[] key32) { throw new UnsupportedOperationException("TODO"); }

    /** Overwrites the key material; the key must not be used afterwards. */
    public void wipe() { throw new UnsupportedOperationException("TODO"); }

    @Override public void close() { wipe(); }
}
