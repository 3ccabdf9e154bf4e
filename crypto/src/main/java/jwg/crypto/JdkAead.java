package jwg.crypto;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;

/**
 * One reusable JDK "ChaCha20-Poly1305" Cipher (RFC 8439 section 2.8). Not thread-safe.
 *
 * <p>Cost per message that JCE imposes and we cannot remove: the Cipher must be initialised for
 * every message (an AEAD Cipher is single-use per nonce). Init is most of the cost of a small
 * packet: SunJCE computes 2 KiB of keystream in it, 1 KiB of which only to take 32 bytes of it as
 * the Poly1305 key. Each init allocates about 2.2 KB (JMH -prof gc, JDK 25): ours is the
 * IvParameterSpec, 48 bytes, the only way JCE takes a nonce (it copies the array, and the Cipher
 * copies it again); the rest is SunJCE's: a new Poly1305 with its field elements, that 1 KiB
 * block, the copy of the key from getEncoded(), and the tag arrays.
 */
final class JdkAead {
    static final int TAG_LEN = 16;
    static final int NONCE_LEN = 12;

    private static final VarHandle LONG_LE =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private Cipher cipher = newCipher();
    private final byte[] counterNonce = new byte[NONCE_LEN];

    /**
     * WireGuard's nonce (whitepaper 5.4.6): 32 zero bits, then the counter as a 64-bit
     * little-endian integer. Returns this instance's nonce array, overwritten by the next call.
     */
    byte[] counterNonce(long counter) {
        LONG_LE.set(counterNonce, 4, counter);
        return counterNonce;
    }

    /** The Cipher, initialised for one message in mode (ENCRYPT_MODE or DECRYPT_MODE). */
    Cipher init(int mode, ChaChaKey key, byte[] nonce12) {
        IvParameterSpec nonce = new IvParameterSpec(nonce12);
        try {
            cipher.init(mode, key, nonce);
        } catch (InvalidKeyException e) {
            // SunJCE refuses to encrypt with the key and nonce of this Cipher's previous init. That
            // check sees one Cipher's last message only, so it guarantees nothing: nonce uniqueness
            // comes from the counters (whitepaper 5.4.6). It must not turn a legitimate repeat of a
            // deterministic seal into a failure, so a fresh Cipher takes the message.
            if (mode != Cipher.ENCRYPT_MODE) throw new IllegalStateException(e);
            cipher = newCipher();
            try {
                cipher.init(mode, key, nonce);
            } catch (GeneralSecurityException again) {
                throw new IllegalStateException(again);
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        return cipher;
    }

    /** doFinal on the initialised Cipher; in and out may be the same range of one array. */
    int doFinal(byte[] in, int inOff, int len, byte[] out, int outOff) throws AEADBadTagException {
        try {
            return cipher.doFinal(in, inOff, len, out, outOff);
        } catch (AEADBadTagException e) {
            throw e;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Cipher newCipher() {
        try {
            // SunJCE by name: a provider registered ahead of it (BouncyCastle's is 2.7x slower
            // here) must not silently replace the implementation we measured.
            return Cipher.getInstance("ChaCha20-Poly1305", "SunJCE");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK lacks ChaCha20-Poly1305", e);
        }
    }
}
