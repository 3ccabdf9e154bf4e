package jwg.bench.crypto;

import java.nio.ByteBuffer;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import jwg.crypto.PacketAead;
import jwg.crypto.SessionKey;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The datapath AEAD in place in a direct buffer, the payload after a 16-byte transport header as
 * on the wire.
 *
 * <p>backend: the jwg.aead property is set before PacketAead initialises, which works because JMH
 * runs each parameter combination in a fresh fork; setup() checks that it took.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class PacketAeadBench {
    private static final int HEADER = 16;
    private static final long OPEN_COUNTER = 42;

    @Param({"64", "1420"})
    int size;

    @Param({"jdk", "openssl"})
    String backend;

    private PacketAead aead;
    private SessionKey key;
    private ByteBuffer buffer;
    private ByteBuffer sealed;
    private long counter;

    @Setup
    public void setup() {
        System.setProperty(PacketAead.BACKEND_PROPERTY, backend);
        if (!PacketAead.backend().equals(backend)) {
            throw new IllegalStateException("wanted " + backend + ", got " + PacketAead.backend()
                    + " (" + PacketAead.backendReason() + "); run one fork per parameter set");
        }
        aead = new PacketAead();
        SplittableRandom random = new SplittableRandom(1);
        byte[] k = new byte[32];
        random.nextBytes(k);
        key = new SessionKey(k);
        buffer = ByteBuffer.allocateDirect(HEADER + size + PacketAead.TAG_LEN);
        byte[] payload = new byte[size];
        random.nextBytes(payload);
        buffer.put(HEADER, payload);
        sealed = ByteBuffer.allocateDirect(buffer.capacity());
        sealed.put(HEADER, payload).position(HEADER).limit(HEADER + size);
        aead.seal(key, OPEN_COUNTER, sealed);
    }

    @TearDown
    public void tearDown() {
        aead.close();
    }

    /** A new counter each time: WireGuard never repeats one, and SunJCE would refuse a repeat. */
    @Benchmark
    public ByteBuffer seal() {
        buffer.limit(HEADER + size).position(HEADER);
        aead.seal(key, counter++, buffer);
        return buffer;
    }

    /** Includes restoring the ciphertext (a direct-to-direct copy of size + 16 bytes) each time. */
    @Benchmark
    public boolean open() {
        buffer.clear();
        buffer.put(0, sealed, 0, sealed.limit());
        buffer.position(HEADER).limit(sealed.limit());
        return aead.open(key, OPEN_COUNTER, buffer);
    }
}
