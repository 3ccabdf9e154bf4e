package jwg.bench.datapath;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import jwg.crypto.PacketAead;
import jwg.datapath.SegmentSealer;
import jwg.datapath.offload.TcpCoalescer;
import jwg.noise.Transport;
import jwg.noise.keys.Keypair;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The receive side's per-batch work against the bare AEAD: 45 transport messages (a 64 KB TSO read
 * as {@link SegmentSealerBench} seals it) opened, their replay counters checked and their TCP
 * segments merged into one TUN write by {@link TcpCoalescer}, against {@link PacketAead#open} of the
 * same messages alone. Before each call, outside the timing, the read is split and sealed again with
 * the next counters of one long-lived sending keypair, so the one receiving keypair's replay window
 * accepts them and nothing is allocated per call.
 * Not measured here: Netty's per-datagram delivery, the index lookup and allowed-IPs check.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class ReceiveBatchBench {
    private static final int MTU = TsoBatch.MTU;
    private static final int SEGMENTS = TsoBatch.SEGMENTS;

    private PacketAead aead;
    private PacketAead sendingAead;
    private SegmentSealer sealer;
    private Keypair sender;
    private Keypair receiver;
    private ByteBuffer read;
    private int readLength;
    private ByteBuffer work;
    private int stride;
    private int[] lengths;
    private TcpCoalescer coalescer;

    @Setup
    public void setup() {
        aead = new PacketAead();
        sendingAead = new PacketAead();
        sender = TsoBatch.sending();
        receiver = TsoBatch.receiving();
        TsoBatch batch = new TsoBatch();
        read = batch.read;
        readLength = batch.readLength;
        stride = batch.stride;
        work = batch.newOut();
        sealer = new SegmentSealer(sendingAead);
        lengths = new int[SEGMENTS];
        coalescer = new TcpCoalescer(ByteBuffer.allocateDirect(TcpCoalescer.MIN_CAPACITY));
    }

    /** The read split and sealed again into work, with counters the receiver has not seen. */
    @Setup(Level.Invocation)
    public void fresh() {
        work.clear();
        int n = sealer.split(read, 0, readLength, work, 0, stride);
        if (n != SEGMENTS || sealer.seal(sender, work, 0, n, stride, MTU) != SEGMENTS) throw new IllegalStateException();
        for (int i = 0; i < SEGMENTS; i++) lengths[i] = sealer.length(i);
    }

    @TearDown
    public void tearDown() {
        aead.close();
        sendingAead.close();
    }

    /** Open, replay check, padding stripped by the IP length, coalesced: the bytes of one TUN write. */
    @Benchmark
    public int openAndCoalesce() {
        for (int i = 0; i < SEGMENTS; i++) {
            int at = i * stride;
            work.clear();
            long counter = Transport.counter(work, at);
            work.limit(at + lengths[i]).position(at + Transport.CONTENT_OFFSET);
            if (!aead.open(receiver.receiveKey(), counter, work) || !receiver.acceptReceivedCounter(counter)) {
                throw new IllegalStateException("segment " + i);
            }
            int p = at + Transport.CONTENT_OFFSET;
            int ipLen = work.getShort(p + 2) & 0xffff;
            if (!coalescer.add(work, p, ipLen)) throw new IllegalStateException("not coalesced: " + i);
        }
        work.clear();
        return coalescer.finish();
    }

    /** The AEAD alone over the same messages. */
    @Benchmark
    public int bareAead() {
        for (int i = 0; i < SEGMENTS; i++) {
            int at = i * stride;
            work.limit(at + lengths[i]).position(at + Transport.CONTENT_OFFSET);
            if (!aead.open(receiver.receiveKey(), Transport.counter(work, at), work)) throw new IllegalStateException();
        }
        work.clear();
        return SEGMENTS;
    }
}
