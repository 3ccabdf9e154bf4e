package jwg.crypto;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import javax.crypto.SecretKey;

/**
 * A 256-bit ChaCha20 key handed to the JDK's Cipher in place of a SecretKeySpec, whose private copy
 * of the key cannot be overwritten. This one holds the array it is given (no copy) and can zero it.
 * getEncoded() returns a fresh copy, as the Key contract requires: the JDK's ChaCha20 Cipher keeps
 * that copy as its current key and zeroes it at its next init.
 */
final class ChaChaKey implements SecretKey {
    static final int LEN = 32;

    private final byte[] key;
    private volatile boolean destroyed;

    /** Wraps key32 without copying it. */
    ChaChaKey(byte[] key32) {
        if (key32.length != LEN) throw new IllegalArgumentException("ChaCha20 keys are 32 bytes");
        this.key = key32;
    }

    @Override public String getAlgorithm() { return "ChaCha20"; }

    @Override public String getFormat() { return "RAW"; }

    @Override public byte[] getEncoded() {
        if (destroyed) throw new IllegalStateException("key has been wiped");
        return key.clone();
    }

    /** Copies the key to dst[offset, offset + 32) (native memory for OpenSSL); the caller wipes it. */
    void copyTo(MemorySegment dst, long offset) {
        if (destroyed) throw new IllegalStateException("key has been wiped");
        MemorySegment.copy(key, 0, dst, ValueLayout.JAVA_BYTE, offset, LEN);
    }

    @Override public void destroy() {
        destroyed = true;
        Arrays.fill(key, (byte) 0);
    }

    @Override public boolean isDestroyed() { return destroyed; }
}
