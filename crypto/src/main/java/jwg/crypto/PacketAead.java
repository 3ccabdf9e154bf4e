package jwg.crypto;

import java.nio.ByteBuffer;
import java.util.function.Supplier;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;

/**
 * The datapath's ChaCha20-Poly1305: seals and opens transport payloads in place in (direct)
 * ByteBuffers, with WireGuard's counter nonce and no associated data (whitepaper 5.4.6).
 * One instance per thread; not thread-safe.
 *
 * <p>Two backends, chosen once when this class initialises (see {@link #backend()}):
 * <ul>
 * <li>"openssl": OpenSSL 3's libcrypto.so.3 through FFM (OpenSslAead), about 3x faster than the
 *     JDK at 1420 bytes, no allocation per packet. Used when libcrypto loads, its symbols bind and
 *     it passes an RFC 8439 self-test.
 * <li>"jdk": SunJCE's ChaCha20-Poly1305 (JdkAead), the fallback.
 * </ul>
 * The system property {@code jwg.aead=jdk|openssl} forces one; a forced "openssl" that is not
 * available falls back to "jdk", and {@link #backendReason()} says why.
 *
 * <p>JDK backend: heap buffers are processed in their backing array, in place. Direct buffers go
 * through one heap scratch array per instance. Cipher.doFinal(ByteBuffer, ByteBuffer) with two
 * duplicate views of one direct buffer does work in place (checked on JDK 25), but SunJCE's
 * direct-buffer path copies the input into a new array of len + 16 bytes per call and back: the
 * same two copies as here, plus about 1.6 KB of allocation per 1420-byte packet. What still
 * allocates per packet is JCE's init, about 2.2 KB (see JdkAead).
 *
 * <p>The OpenSSL backend holds two native EVP_CIPHER_CTXs (seal, open): {@link #close()} frees
 * them, and a Cleaner frees them when an unclosed instance becomes unreachable. A closed instance must not be used.
 */
public final class PacketAead implements AutoCloseable {
    public static final int TAG_LEN = 16;

    /** The property that forces a backend: "jdk" or "openssl". */
    public static final String BACKEND_PROPERTY = "jwg.aead";

    private static final Selection SELECTED = select(System.getProperty(BACKEND_PROPERTY), OpenSslAead::unavailableReason);

    /** The backend every new instance uses: "openssl" or "jdk". */
    public static String backend() { return SELECTED.backend(); }

    /** Why that backend, for the startup log line (e.g. why OpenSSL is not used); never null. */
    public static String backendReason() { return SELECTED.reason(); }

    record Selection(String backend, String reason) {}

    /**
     * The choice for the property value forced (null: automatic); opensslProblem returns null when
     * the OpenSSL backend works, else why not, and is not called when "jdk" is forced.
     */
    static Selection select(String forced, Supplier<String> opensslProblem) {
        String f = forced == null ? "" : forced.trim().toLowerCase(java.util.Locale.ROOT);
        if (f.equals("jdk")) return new Selection("jdk", BACKEND_PROPERTY + "=jdk");
        String problem = opensslProblem.get();
        String how = switch (f) {
            case "openssl" -> BACKEND_PROPERTY + "=openssl";
            case "", "auto" -> "automatic";
            default -> "automatic (ignored unknown " + BACKEND_PROPERTY + "=" + forced + ")";
        };
        if (problem == null) return new Selection("openssl", how + ": " + OpenSslAead.LIBRARY);
        return new Selection("jdk", how + ": OpenSSL unavailable, " + problem);
    }

    /** What a backend implements; PacketAead has checked the bounds. */
    interface Engine {
        String name();
        void seal(SessionKey key, long counter, ByteBuffer buffer, int pos, int len);
        /** buffer[pos, pos + len) is ciphertext||tag, len >= 16. */
        boolean open(SessionKey key, long counter, ByteBuffer buffer, int pos, int len);
        void close();
    }

    private final Engine engine;

    public PacketAead() {
        this(SELECTED.backend());
    }

    /** An instance on the named backend ("jdk" or "openssl"), whatever the selection; for tests. */
    PacketAead(String backend) {
        engine = switch (backend) {
            case "jdk" -> new JdkEngine();
            case "openssl" -> new OpenSslAead();
            default -> throw new IllegalArgumentException(backend);
        };
    }

    /** This instance's backend: "openssl" or "jdk". */
    String engineName() { return engine.name(); }

    /**
     * Seals buffer[position, limit) in place: afterwards buffer[position, limit + 16) holds
     * ciphertext||tag and the limit has moved up by 16 (the capacity must allow it). The position
     * is unchanged.
     */
    public void seal(SessionKey key, long counter, ByteBuffer buffer) {
        int pos = buffer.position();
        int limit = buffer.limit();
        if (buffer.capacity() - limit < TAG_LEN) throw new IllegalArgumentException("no room for the tag");
        engine.seal(key, counter, buffer, pos, limit - pos);
        buffer.limit(limit + TAG_LEN);
    }

    /**
     * Opens buffer[position, limit) (ciphertext||tag, at least 16 bytes) in place. On success
     * returns true, the plaintext is at [position, limit - 16) and the limit has moved down by 16.
     * On failure returns false; the buffer's bytes are then unspecified but position and limit
     * are unchanged. (Both backends in fact leave the bytes as they were: SunJCE verifies before it
     * decrypts; OpenSSL decrypts first, and OpenSslAead then re-encrypts the would-be plaintext.)
     */
    public boolean open(SessionKey key, long counter, ByteBuffer buffer) {
        int pos = buffer.position();
        int limit = buffer.limit();
        int len = limit - pos;
        if (len < TAG_LEN) return false;
        if (!engine.open(key, counter, buffer, pos, len)) return false;
        buffer.limit(limit - TAG_LEN);
        return true;
    }

    /** Frees the OpenSSL backend's native context (wiping its key); nothing to do for the JDK's. */
    @Override public void close() { engine.close(); }

    /** The JDK backend. */
    private static final class JdkEngine implements Engine {
        private final JdkAead aead = new JdkAead();
        private byte[] scratch = new byte[2048];

        @Override public String name() { return "jdk"; }

        @Override public void close() {}

        @Override public void seal(SessionKey key, long counter, ByteBuffer buffer, int pos, int len) {
            aead.init(Cipher.ENCRYPT_MODE, key.key, aead.counterNonce(counter));
            try {
                if (buffer.hasArray()) {
                    byte[] array = buffer.array();
                    int off = buffer.arrayOffset() + pos;
                    aead.doFinal(array, off, len, array, off);
                } else {
                    byte[] s = scratch(len + TAG_LEN);
                    buffer.get(pos, s, 0, len);
                    aead.doFinal(s, 0, len, s, 0);
                    buffer.limit(pos + len + TAG_LEN); // absolute puts stop at the limit
                    buffer.put(pos, s, 0, len + TAG_LEN);
                }
            } catch (AEADBadTagException e) {
                throw new IllegalStateException(e); // only decryption verifies a tag
            }
        }

        @Override public boolean open(SessionKey key, long counter, ByteBuffer buffer, int pos, int len) {
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
            return true;
        }

        private byte[] scratch(int len) {
            if (scratch.length < len) scratch = new byte[len];
            return scratch;
        }
    }
}
