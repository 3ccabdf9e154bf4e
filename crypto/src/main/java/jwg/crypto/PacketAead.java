package jwg.crypto;

import java.nio.ByteBuffer;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;

/**
 * The datapath's ChaCha20-Poly1305: seals and opens transport payloads in place in (direct)
 * ByteBuffers, with WireGuard's counter nonce and no associated data (whitepaper 5.4.6).
 * One instance per thread; not thread-safe.
 *
 * <p>Heap buffers are processed in their backing array, in place. Direct buffers go through one
 * heap scratch array per instance. Cipher.doFinal(ByteBuffer, ByteBuffer) with two duplicate
 * views of one direct buffer does work in place (checked on JDK 25), but SunJCE's direct-buffer
 * path copies the input into a new array of len + 16 bytes per call and back: the same two
 * copies as here, plus about 1.6 KB of allocation per 1420-byte packet. What still allocates per
 * packet is JCE's init, about 2.2 KB (see JdkAead).
 */
public final class PacketAead {
    public static final int TAG_LEN = 16;

    private final JdkAead aead = new JdkAead();
    private byte[] scratch = new byte[2048];

    public PacketAead() {}

    /**
     * Seals buffer[position, limit) in place: afterwards buffer[position, limit + 16) holds
     * ciphertext||tag and the limit has moved up by 16 (the capacity must allow it). The position
     * is unchanged.
     */
    public void seal(SessionKey key, long counter, ByteBuffer buffer) {
        int pos = buffer.position();
        int limit = buffer.limit();
        int len = limit - pos;
        if (buffer.capacity() - limit < TAG_LEN) throw new IllegalArgumentException("no room for the tag");
        aead.init(Cipher.ENCRYPT_MODE, key.key, aead.counterNonce(counter));
        try {
            if (buffer.hasArray()) {
                byte[] array = buffer.array();
                int off = buffer.arrayOffset() + pos;
                aead.doFinal(array, off, len, array, off);
                buffer.limit(limit + TAG_LEN);
            } else {
                byte[] s = scratch(len + TAG_LEN);
                buffer.get(pos, s, 0, len);
                aead.doFinal(s, 0, len, s, 0);
                buffer.limit(limit + TAG_LEN);
                buffer.put(pos, s, 0, len + TAG_LEN);
            }
        } catch (AEADBadTagException e) {
            throw new IllegalStateException(e); // only decryption verifies a tag
        }
    }

    /**
     * Opens buffer[position, limit) (ciphertext||tag, at least 16 bytes) in place. On success
     * returns true, the plaintext is at [position, limit - 16) and the limit has moved down by 16.
     * On failure returns false; the buffer's bytes are then unspecified but position and limit
     * are unchanged.
     */
    public boolean open(SessionKey key, long counter, ByteBuffer buffer) {
        int pos = buffer.position();
        int limit = buffer.limit();
        int len = limit - pos;
        if (len < TAG_LEN) return false;
        aead.init(Cipher.DECRYPT_MODE, key.key, aead.counterNonce(counter));
        // SunJCE verifies the tag before it decrypts (RFC 8439 2.8): a forgery leaves the
        // ciphertext where it was, never its would-be plaintext.
        try {
            if (buffer.hasArray()) {
                byte[] array = buffer.array();
                int off = buffer.arrayOffset() + pos;
                aead.doFinal(array, off, len, array, off);
            } else {
                byte[] s = scratch(len);
                buffer.get(pos, s, 0, len);
                aead.doFinal(s, 0, len, s, 0);
                buffer.put(pos, s, 0, len - TAG_LEN);
            }
        } catch (AEADBadTagException e) {
            return false; // SunJCE's exception, with its stack trace: the one cost of a forgery we cannot avoid
        }
        buffer.limit(limit - TAG_LEN);
        return true;
    }

    private byte[] scratch(int len) {
        if (scratch.length < len) scratch = new byte[len];
        return scratch;
    }
}
