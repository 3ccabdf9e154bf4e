package jwg.bench.noise;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import jwg.crypto.X25519;
import jwg.noise.IndexMap;
import jwg.noise.Initiation;
import jwg.noise.Messages;
import jwg.noise.handshake.Handshake;
import jwg.noise.handshake.PeerHandshake;
import jwg.noise.handshake.PeerLookup;
import jwg.noise.handshake.Responded;
import jwg.noise.handshake.StaticIdentity;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * Handshakes per second on one core (whitepaper 5.4): a whole Noise_IKpsk2 exchange (both sides'
 * work: initiation, its consumption, the response, its consumption), and the responder's part
 * alone (consume an initiation, create the response), which bounds how fast a loaded server
 * answers. Keypairs are retired at once so that indices do not pile up.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class HandshakeBench {
    private Handshake initiator;
    private Handshake responder;
    private PeerHandshake toResponder;
    private PeerHandshake toInitiator;
    private PeerLookup lookup;
    private Instant clock = Instant.parse("2026-01-01T00:00:00Z");
    private long now = 1_000_000_000_000L;

    @Setup
    public void setUp() {
        SecureRandom random = new SecureRandom();
        StaticIdentity i = StaticIdentity.of(X25519.generatePrivateKey());
        StaticIdentity r = StaticIdentity.of(X25519.generatePrivateKey());
        initiator = new Handshake(i, random);
        responder = new Handshake(r, random);
        toResponder = initiator.newPeer(r.publicKey(), null, new IndexMap<String>().viewFor("responder"));
        toInitiator = responder.newPeer(i.publicKey(), null, new IndexMap<String>().viewFor("initiator"));
        lookup = key -> Arrays.equals(key, i.publicKey()) ? toInitiator : null;
    }

    /** TAI64N timestamps must increase and initiations be 20 ms apart: step both clocks. */
    private Initiation nextInitiation() {
        clock = clock.plusMillis(50);
        now += 50_000_000L;
        return initiator.createInitiation(toResponder, clock).value();
    }

    @Benchmark
    public Keypair fullHandshake() {
        Initiation init = nextInitiation();
        responder.consumeInitiation(init, lookup, now).value();
        Responded r = responder.createResponse(toInitiator, now).value();
        Keypair k = initiator.consumeResponse(r.response(), toResponder, now).value();
        k.retire();
        r.keypair().retire();
        return k;
    }

    @Benchmark
    public Responded responderOnly(ResponderState s) {
        Responded r = s.respond();
        r.keypair().retire();
        return r;
    }

    /**
     * A responder of its own and a supply of wire-encoded initiations made outside the measured
     * time (each 50 ms newer, as the replay and flood rules want); parsing is measured, as the
     * datapath parses every initiation it receives.
     */
    @State(Scope.Thread)
    public static class ResponderState {
        private static final int N = 8192; // more than one 2 s iteration uses (~0.5 ms each)
        private final byte[][] initiations = new byte[N][];
        private int next = N;
        private Handshake initiator;
        private Handshake responder;
        private PeerHandshake toResponder;
        private PeerHandshake toInitiator;
        private PeerLookup lookup;
        private Instant clock = Instant.parse("2026-01-01T00:00:00Z");
        private long now = 1_000_000_000_000L;
        private long consumedAt = now;

        @Setup
        public void setUp() {
            SecureRandom random = new SecureRandom();
            StaticIdentity i = StaticIdentity.of(X25519.generatePrivateKey());
            StaticIdentity r = StaticIdentity.of(X25519.generatePrivateKey());
            initiator = new Handshake(i, random);
            responder = new Handshake(r, random);
            toResponder = initiator.newPeer(r.publicKey(), null, new IndexMap<String>().viewFor("responder"));
            toInitiator = responder.newPeer(i.publicKey(), null, new IndexMap<String>().viewFor("initiator"));
            lookup = key -> Arrays.equals(key, i.publicKey()) ? toInitiator : null;
        }

        @Setup(org.openjdk.jmh.annotations.Level.Iteration)
        public void refill() {
            for (int k = 0; k < N; k++) {
                clock = clock.plusMillis(50);
                initiations[k] = initiator.createInitiation(toResponder, clock).value().encode();
            }
            next = 0;
        }

        Responded respond() {
            if (next == N) refill(); // not expected within one iteration
            Initiation init = (Initiation) Messages.parseHandshake(initiations[next++]).value();
            consumedAt += 50_000_000L;
            responder.consumeInitiation(init, lookup, consumedAt).value();
            return responder.createResponse(toInitiator, consumedAt).value();
        }
    }
}
