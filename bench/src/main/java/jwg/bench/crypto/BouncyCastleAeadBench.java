package jwg.bench.crypto;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.modes.ChaCha20Poly1305;
import org.bouncycastle.crypto.params.AEADParameters;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.util.Pack;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * BouncyCastle's ChaCha20Poly1305 sealing 1420 bytes, on heap arrays: the comparison that chose
 * the JDK's Cipher for PacketAead (compare with PacketAeadBench.seal at 1420).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class BouncyCastleAeadBench {
    private static final int SIZE = 1420;

    private final ChaCha20Poly1305 cipher = new ChaCha20Poly1305();
    private final byte[] plaintext = new byte[SIZE];
    private final byte[] out = new byte[SIZE + 16];
    private final byte[] nonce = new byte[12];
    private KeyParameter key;
    private long counter;

    @Setup
    public void setup() {
        SplittableRandom random = new SplittableRandom(1);
        byte[] k = new byte[32];
        random.nextBytes(k);
        random.nextBytes(plaintext);
        key = new KeyParameter(k);
    }

    @Benchmark
    public byte[] seal1420() throws InvalidCipherTextException {
        Pack.longToLittleEndian(counter++, nonce, 4); // WireGuard's nonce, as PacketAead
        cipher.init(true, new AEADParameters(key, 128, nonce));
        int n = cipher.processBytes(plaintext, 0, SIZE, out, 0);
        cipher.doFinal(out, n);
        return out;
    }
}
