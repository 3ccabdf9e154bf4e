package jwg.datapath.offload;

import java.nio.ByteBuffer;
import java.util.HexFormat;

/** Moving test data in and out of heap and direct buffers. */
final class Bytes {
    private Bytes() {}

    static ByteBuffer allocate(int capacity, boolean direct) {
        return direct ? ByteBuffer.allocateDirect(capacity) : ByteBuffer.allocate(capacity);
    }

    /** A buffer of capacity bytes, filled with fill, holding data at index at. */
    static ByteBuffer holding(byte[] data, int at, int capacity, boolean direct, byte fill) {
        ByteBuffer b = allocate(capacity, direct);
        for (int i = 0; i < capacity; i++) b.put(i, fill);
        b.put(at, data);
        return b;
    }

    static byte[] get(ByteBuffer b, int at, int len) {
        byte[] d = new byte[len];
        b.get(at, d);
        return d;
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] c = new byte[a.length + b.length];
        System.arraycopy(a, 0, c, 0, a.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    static byte[] hex(String s) {
        return HexFormat.of().parseHex(s);
    }

    static String hex(byte[] d) {
        return HexFormat.of().formatHex(d);
    }
}
