package jwg.noise;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Little-endian field access (whitepaper 5.4: all integers on the wire are little-endian),
 * independent of a ByteBuffer's own byte order and without allocating.
 */
final class Wire {
    private Wire() {}

    private static final VarHandle INT_BB = MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LONG_BB = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INT_BA = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

    static int getInt(ByteBuffer b, int index) { return (int) INT_BB.get(b, index); }

    static long getLong(ByteBuffer b, int index) { return (long) LONG_BB.get(b, index); }

    static void putInt(ByteBuffer b, int index, int v) { INT_BB.set(b, index, v); }

    static void putLong(ByteBuffer b, int index, long v) { LONG_BB.set(b, index, v); }

    static int getInt(byte[] a, int index) { return (int) INT_BA.get(a, index); }

    static void putInt(byte[] a, int index, int v) { INT_BA.set(a, index, v); }

    static byte[] slice(byte[] a, int from, int len) {
        byte[] out = new byte[len];
        System.arraycopy(a, from, out, 0, len);
        return out;
    }

    static void checkLength(byte[] field, int len, String name) {
        if (field == null || field.length != len) {
            throw new IllegalArgumentException(name + " must be " + len + " bytes");
        }
    }

    static String index(int index) {
        return String.format("%08x", index);
    }
}
