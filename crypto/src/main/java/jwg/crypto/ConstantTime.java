package jwg.crypto;

/** Comparisons whose time does not depend on the contents: for MACs, tags and keys. */
public final class ConstantTime {
    private ConstantTime() {}

    public static boolean equals(byte[] a, byte[] b) { throw new UnsupportedOperationException("TODO"); }

    public static boolean equals(byte[] a, int aOff, byte[] b, int bOff, int len) { throw new UnsupportedOperationException("TODO"); }

    /** True if all bytes are zero. */
    public static boolean isZero(byte[] a) { throw new UnsupportedOperationException("TODO"); }
}
