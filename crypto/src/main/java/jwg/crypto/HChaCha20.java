package jwg.crypto;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * HChaCha20 (draft-irtf-cfrg-xchacha-03 section 2.2): the ChaCha20 block function's 20 rounds
 * over constants, key and a 128-bit nonce, without the final addition; the subkey is state words
 * 0..3 and 12..15. The JDK has no HChaCha20.
 */
final class HChaCha20 {
    private HChaCha20() {}

    static final int NONCE_LEN = 16;

    private static final VarHandle INT_LE =
            MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

    /** The 32-byte subkey of key (32 bytes) and nonce[nonceOff, nonceOff + 16). */
    static byte[] subkey(byte[] key, byte[] nonce, int nonceOff) {
        if (key.length != ChaChaKey.LEN) throw new IllegalArgumentException("ChaCha20 keys are 32 bytes");
        int[] x = new int[16];
        // RFC 8439 2.3: "expand 32-byte k", then the key, then (here) the 128-bit nonce.
        x[0] = 0x61707865;
        x[1] = 0x3320646e;
        x[2] = 0x79622d32;
        x[3] = 0x6b206574;
        for (int i = 0; i < 8; i++) x[4 + i] = (int) INT_LE.get(key, 4 * i);
        for (int i = 0; i < 4; i++) x[12 + i] = (int) INT_LE.get(nonce, nonceOff + 4 * i);
        for (int round = 0; round < 10; round++) { // RFC 8439 2.3: column round, then diagonal round
            quarterRound(x, 0, 4, 8, 12);
            quarterRound(x, 1, 5, 9, 13);
            quarterRound(x, 2, 6, 10, 14);
            quarterRound(x, 3, 7, 11, 15);
            quarterRound(x, 0, 5, 10, 15);
            quarterRound(x, 1, 6, 11, 12);
            quarterRound(x, 2, 7, 8, 13);
            quarterRound(x, 3, 4, 9, 14);
        }
        byte[] out = new byte[32];
        for (int i = 0; i < 4; i++) {
            INT_LE.set(out, 4 * i, x[i]);
            INT_LE.set(out, 16 + 4 * i, x[12 + i]);
        }
        Arrays.fill(x, 0);
        return out;
    }

    /** RFC 8439 2.1. */
    private static void quarterRound(int[] x, int a, int b, int c, int d) {
        x[a] += x[b]; x[d] = Integer.rotateLeft(x[d] ^ x[a], 16);
        x[c] += x[d]; x[b] = Integer.rotateLeft(x[b] ^ x[c], 12);
        x[a] += x[b]; x[d] = Integer.rotateLeft(x[d] ^ x[a], 8);
        x[c] += x[d]; x[b] = Integer.rotateLeft(x[b] ^ x[c], 7);
    }
}
