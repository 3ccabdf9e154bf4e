package jwg.crypto;

import java.nio.ByteBuffer;

/**
 * The datapath's ChaCha20-Poly1305: seals and opens transport payloads in place in (direct)
 * ByteBuffers, with WireGuard's counter nonce and no associated data (whitepaper 5.4.6).
 * One instance per thread; not thread-safe.
 */
public final class PacketAead {
    public static final int TAG_LEN = 16;

    public PacketAead() { throw new UnsupportedOperationException("TODO"); }

    /**
     * Seals buffer[position, limit) in place: afterwards buffer[position, limit + 16) holds
     * ciphertext||tag and the limit has moved up by 16 (the capacity must allow it). The position
     * is unchanged.
     */
    public void seal(SessionKey key, long counter, ByteBuffer buffer) { throw new UnsupportedOperationException("TODO"); }

    /**
     * Opens buffer[position, limit) (ciphertext||tag, at least 16 bytes) in place. On success
     * returns true, the plaintext is at [position, limit - 16) and the limit has moved down by 16.
     * On failure returns false; the buffer's bytes are then unspecified but position and limit
     * are unchanged.
     */
    public boolean open(SessionKey key, long counter, ByteBuffer buffer) { throw new UnsupportedOperationException("TODO"); }
}
