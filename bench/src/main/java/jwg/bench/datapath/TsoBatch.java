package jwg.bench.datapath;

import java.nio.ByteBuffer;
import java.util.SplittableRandom;
import jwg.datapath.SegmentSealer;
import jwg.datapath.testing.TsoPacket;
import jwg.noise.IndexTable;
import jwg.noise.keys.Keypair;

/**
 * What the datapath benchmarks work on: one 64 KB TSO read from the TUN (IPv4 TCP with timestamps,
 * MSS 1368, so 45 segments of 1420-byte IP packets at MTU 1420, each sealed to a stride of 1452
 * bytes), and the two ends of one session to seal and open it with.
 */
final class TsoBatch {
    static final int MTU = 1420;
    static final int MSS = 1368;
    static final int SEGMENTS = 45;

    /** [virtio_net_hdr | IP super-packet] at [0, readLength). */
    final ByteBuffer read = ByteBuffer.allocateDirect(10 + 65535);
    final int readLength;
    final int stride;

    TsoBatch() {
        readLength = TsoPacket.write(read, SEGMENTS * MSS, MSS);
        stride = SegmentSealer.stride(read, 0, readLength, MTU);
        if (SegmentSealer.segments(read, 0, readLength) != SEGMENTS || stride != 16 + 1420 + 16) {
            throw new IllegalStateException("unexpected layout: stride " + stride);
        }
    }

    /** Room for the sealed batch. */
    ByteBuffer newOut() {
        return ByteBuffer.allocateDirect(SEGMENTS * stride);
    }

    /** The initiator's keypair of a session whose key comes from a fixed seed. */
    static Keypair sending() {
        return new Keypair(key(), new byte[32], 1, 2, true, System.nanoTime(), NO_INDICES);
    }

    /** The responder's keypair of the same session: it opens what {@link #sending} seals. */
    static Keypair receiving() {
        return new Keypair(new byte[32], key(), 2, 1, false, System.nanoTime(), NO_INDICES);
    }

    private static byte[] key() {
        byte[] key = new byte[32];
        new SplittableRandom(1).nextBytes(key);
        return key;
    }

    private static final IndexTable NO_INDICES = new IndexTable() {
        @Override public boolean claim(int index) { return true; }

        @Override public void release(int index) {}
    };
}
