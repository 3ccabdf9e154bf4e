package jwg.bench.crypto;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import jwg.crypto.Blake2s;
import jwg.crypto.HmacBlake2s;
import jwg.crypto.Kdf;
import jwg.crypto.X25519;
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

/** The handshake's primitives, at the sizes the handshake uses them. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class HandshakePrimitivesBench {
    private static final int INITIATION_MAC1_OFFSET = 116;

    private final byte[] secret = new byte[32];
    private byte[] privateKey;
    private byte[] publicKey;
    private final byte[] key = new byte[32];
    private final byte[] data32 = new byte[32];
    /** An initiation message's length. */
    private final byte[] data148 = new byte[148];

    @Setup
    public void setup() {
        SplittableRandom random = new SplittableRandom(1);
        random.nextBytes(key);
        random.nextBytes(data32);
        random.nextBytes(data148);
        privateKey = X25519.generatePrivateKey();
        publicKey = X25519.publicKey(X25519.generatePrivateKey());
    }

    @Benchmark
    public byte[] x25519SharedSecret() {
        X25519.sharedSecret(privateKey, publicKey, secret);
        return secret;
    }

    @Benchmark
    public byte[] blake2sHash32() { return Blake2s.hash(data32); }

    @Benchmark
    public byte[] blake2sHash148() { return Blake2s.hash(data148); }

    /** mac1 of an initiation: MAC over its first 116 bytes (whitepaper 5.4.4). */
    @Benchmark
    public byte[] blake2sMacInitiation() { return Blake2s.mac(key, data148, 0, INITIATION_MAC1_OFFSET); }

    @Benchmark
    public byte[] hmac32() { return HmacBlake2s.hmac(key, data32); }

    @Benchmark
    public byte[][] kdf3() { return Kdf.kdf3(key, data32); }
}
