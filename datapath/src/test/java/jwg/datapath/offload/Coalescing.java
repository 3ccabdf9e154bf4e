package jwg.datapath.offload;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/** What the coalescer tests do to a {@link Coalescer}, with the checks every call deserves. */
final class Coalescing {
    private Coalescing() {}

    private static final int AT = 3; // where add's input sits in its buffer
    private static final ByteBuffer RESPLIT = ByteBuffer.allocate(64 * 65535);

    /** c.add of ip, placed at an odd index of a direct or heap buffer; checks that the input is left alone. */
    static boolean add(Coalescer c, byte[] ip, boolean direct) {
        ByteBuffer b = Bytes.holding(ip, AT, AT + ip.length + 4, direct, (byte) 0x5a);
        boolean taken = c.add(b, AT, ip.length);
        assertArrayEquals(ip, Bytes.get(b, AT, ip.length), "input is not modified");
        assertEquals(0, b.position());
        return taken;
    }

    static boolean add(Coalescer c, byte[] ip) {
        return add(c, ip, true);
    }

    /** What c.finish() says to write. */
    static byte[] finish(Coalescer c) {
        int n = c.finish();
        assertFalse(c.hasPending());
        assertTrue(n <= Coalescer.MIN_CAPACITY);
        return Bytes.get(c.out(), 0, n);
    }

    /** Splits what finish produced, as a TUN reader would (the kernel's own segmentation does the same). */
    static List<byte[]> resplit(byte[] written) {
        int[] lengths = new int[64];
        int n = GsoSplitter.split(ByteBuffer.wrap(written), 0, written.length, RESPLIT, 0, 65535, lengths);
        assertTrue(n >= 1, "what we write is what the TUN would accept: " + n);
        List<byte[]> out = new ArrayList<>();
        for (int i = 0; i < n; i++) out.add(Bytes.get(RESPLIT, i * 65535, lengths[i]));
        return out;
    }

    /**
     * Bytes allocated in 20000 rounds of adding packets (laid out in one direct buffer) to c and
     * finishing, each round checked to take them all and to write written bytes.
     */
    static long allocatedPer20000Rounds(Coalescer c, List<byte[]> packets, int written) {
        ByteBuffer all = ByteBuffer.allocateDirect(packets.size() * 2000);
        int[] at = new int[packets.size()];
        int[] len = new int[packets.size()];
        for (int i = 0; i < packets.size(); i++) {
            at[i] = i * 2000;
            len[i] = packets.get(i).length;
            all.put(at[i], packets.get(i));
        }
        return Allocations.measure(20_000, 20_000, () -> {
            for (int i = 0; i < at.length; i++) {
                if (!c.add(all, at[i], len[i])) throw new AssertionError();
            }
            if (c.finish() != written) throw new AssertionError();
        });
    }
}
