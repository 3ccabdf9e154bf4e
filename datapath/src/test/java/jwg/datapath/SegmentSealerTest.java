package jwg.datapath;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.SplittableRandom;
import jwg.crypto.PacketAead;
import jwg.datapath.offload.GsoSplitter;
import jwg.datapath.testing.TsoPacket;
import jwg.noise.IndexTable;
import jwg.noise.Transport;
import jwg.noise.keys.Keypair;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A TUN read split and sealed back to back: every message opens, with the receiver's key, to the
 * segment the splitter alone makes of the same read, padded; headers carry type 4, the peer's index
 * and consecutive counters; full messages are exactly one stride long, as UDP GSO needs.
 */
class SegmentSealerTest {
    private static final int MTU = 1420;
    private static final IndexTable NO_INDICES = new IndexTable() {
        @Override public boolean claim(int index) { return true; }
        @Override public void release(int index) {}
    };

    @ParameterizedTest
    @CsvSource({"0, 1", "1368, 1", "5000, 4", "61560, 45", "65483, 48"})
    void sealedMessagesOpenToTheSplitSegments(int payload, int expectedSegments) {
        byte[] sendKey = new byte[32];
        new SplittableRandom(payload).nextBytes(sendKey);
        Keypair kp = new Keypair(sendKey, new byte[32], 1, 0x0a0b0c0d, true, System.nanoTime(), NO_INDICES);
        ByteBuffer in = ByteBuffer.allocateDirect(10 + 65535);
        int len = TsoPacket.write(in, payload, 1368);

        int stride = SegmentSealer.stride(in, 0, len, MTU);
        int n = SegmentSealer.segments(in, 0, len);
        assertEquals(expectedSegments, n);
        assertEquals(Transport.messageLength(payload == 0 ? 52 : Math.min(1420, 52 + payload), MTU), stride);
        ByteBuffer out = ByteBuffer.allocateDirect(n * stride + 7);
        ByteBuffer plain = ByteBuffer.allocateDirect(n * stride);
        int[] lengths = new int[64];
        assertEquals(n, GsoSplitter.split(in, 0, len, plain, 0, stride, lengths));

        try (PacketAead aead = new PacketAead()) {
            SegmentSealer sealer = new SegmentSealer(aead);
            assertEquals(n, sealer.split(in, 0, len, out, 7, stride));
            assertEquals(n, sealer.seal(kp, out, 7, n, stride, MTU));
            assertTrue(sealer.backToBack());
            for (int i = 0; i < n; i++) {
                int at = 7 + i * stride;
                int total = sealer.length(i);
                if (i < n - 1) assertEquals(stride, total, "segment " + i);
                assertEquals(4, out.get(at));
                assertEquals(0x0a0b0c0d, Transport.receiverIndex(out, at));
                assertEquals(i, Transport.counter(out, at));
                out.limit(at + total).position(at + 16);
                assertTrue(aead.open(kp.sendKey(), i, out), "segment " + i + " opens");
                byte[] opened = new byte[out.remaining()];
                out.get(out.position(), opened);
                out.clear();
                byte[] expected = new byte[Transport.paddedLength(lengths[i], MTU)];
                plain.get(i * stride, expected, 0, lengths[i]);
                assertArrayEquals(expected, opened, "segment " + i);
            }
            assertEquals((n - 1) * stride + sealer.length(n - 1), sealer.end());
        }
    }
}
