package jwg.bench.datapath;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import jwg.crypto.PacketAead;
import jwg.datapath.SegmentSealer;
import jwg.noise.keys.Keypair;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The datapath's send side for one TUN read against the bare AEAD on the same bytes: a 64 KB TSO
 * super-packet (IPv4 TCP with timestamps, MSS 1368, so 45 segments of 1420-byte IP packets at MTU
 * 1420) split, checksummed, padded and sealed back to back by {@link SegmentSealer}, against
 * {@link PacketAead#seal} of 45 x 1420 bytes in place. The performance issue's target: the first
 * within 1.3x of the second.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class SegmentSealerBench {
    private static final int MTU = TsoBatch.MTU;
    private static final int SEGMENTS = TsoBatch.SEGMENTS;

    private PacketAead aead;
    private SegmentSealer sealer;
    private Keypair keypair;
    private ByteBuffer read;
    private int readLength;
    private ByteBuffer out;
    private int stride;
    private long counter;

    @Setup
    public void setup() {
        aead = new PacketAead();
        sealer = new SegmentSealer(aead);
        keypair = TsoBatch.sending();
        TsoBatch batch = new TsoBatch();
        read = batch.read;
        readLength = batch.readLength;
        stride = batch.stride;
        out = batch.newOut();
    }

    @TearDown
    public void tearDown() {
        aead.close();
    }

    /** Split, checksums, padding, seal and headers for the whole read. */
    @Benchmark
    public int splitAndSeal() {
        int n = sealer.split(read, 0, readLength, out, 0, stride);
        return sealer.seal(keypair, out, 0, n, stride, MTU);
    }

    /** The AEAD alone over the same 45 x 1420 bytes, in place at the same stride. */
    @Benchmark
    public int bareAead() {
        for (int i = 0; i < SEGMENTS; i++) {
            int at = i * stride + 16;
            out.limit(at + 1420).position(at);
            aead.seal(keypair.sendKey(), counter++, out);
        }
        out.clear();
        return SEGMENTS;
    }
}
