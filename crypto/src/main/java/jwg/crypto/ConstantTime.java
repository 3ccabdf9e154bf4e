package jwg.crypto;

import java.security.MessageDigest;
import java.util.Objects;

/** Comparisons whose time does not depend on the contents: for MACs, tags and keys. */
public final class ConstantTime {
    private ConstantTime() {}

    /** Lengths are not secret: unequal lengths return false at once. */
    public static boolean equals(byte[] a, byte[] b) {
        return MessageDigest.isEqual(a, b); // constant time for equal lengths since JDK 6u17
    }

    public static boolean equals(byte[] a, int aOff, byte[] b, int bOff, int len) {
        Objects.checkFromIndexSize(aOff, len, a.length);
        Objects.checkFromIndexSize(bOff, len, b.length);
        int diff = 0;
        for (int i = 0; i < len; i++) diff |= a[aOff + i] ^ b[bOff + i];
        return diff == 0;
    }

    /** True if all bytes are zero. */
    public static boolean isZero(byte[] a) {
        int bits = 0;
        for (byte x : a) bits |= x;
        return bits == 0;
    }
}
