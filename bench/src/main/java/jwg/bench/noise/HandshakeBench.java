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
    /** Two identities, each configured as the other's peer, and a clock for each side. */
    static final class Pair {
        final Handshake initiator;
        final Handshake responder;
        final PeerHandshake toResponder;
        final PeerHandshake toInitiator;
        final PeerLookup lookup;
        Instant clock = Instant.parse("2026-01-01T00:00:00Z");
        long now = 1_000_000_000_000L;

        Pair() {
            SecureRandom random = new SecureRandom();
            StaticIdentity i = StaticIdentity.of(X25519.generatePrivateKey());
            StaticIdentity r = StaticIdentity.of(X25519.generatePrivateKey());
            initiator = new Handshake(i, random);
            responder = new Handshake(r, random);
            toResponder = initiator.newPeer(r.publicKey(), null, new IndexMap<String>().viewFor("responder"));
            toInitiator = responder.newPeer(i.publicKey(), null, new IndexMap<String>().viewFor("initiator"));
            lookup = key -> Arrays.equals(key, i.publicKey()) ? toInitiator : null;
        }

        /** TAI64N timestamps must increase and initiations be 20 ms apart: both clocks step 50 ms. */
        Initiation nextInitiation() {
            clock = clock.plusMillis(50);
            return initiator.createInitiation(toResponder, clock).value();
        }

        long tick() {
            return now += 50_000_000L;
        }
    }

    private Pair pair;

    @Setup
    public void setUp() {
        pair = new Pair();
    }

    @Benchmark
    public Keypair fullHandshake() {
        Initiation init = pair.nextInitiation();
        long now = pair.tick();
        pair.responder.consumeInitiation(init, pair.lookup, now).value();
        Responded r = pair.responder.createResponse(pair.toInitiator, now).value();
        Keypair k = pair.initiator.consumeResponse(r.response(), pair.toResponder, now).value();
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
     * A pair of its own and a supply of wire-encoded initiations made outside the measured time;
     * parsing is measured, as the datapath parses every initiation it receives.
     */
    @State(Scope.Thread)
    public static class ResponderState {
        private static final int N = 8192; // more than one 2 s iteration uses (~0.5 ms each)
        private final byte[][] initiations = new byte[N][];
        private int next = N;
        private Pair pair;

        @Setup
        public void setUp() {
            pair = new Pair();
        }

        @Setup(org.openjdk.jmh.annotations.Level.Iteration)
        public void refill() {
            for (int k = 0; k < N; k++) initiations[k] = pair.nextInitiation().encode();
            next = 0;
        }

        Responded respond() {
            if (next == N) refill(); // not expected within one iteration
            Initiation init = (Initiation) Messages.parseHandshake(initiations[next++]).value();
            long now = pair.tick();
            pair.responder.consumeInitiation(init, pair.lookup, now).value();
            return pair.responder.createResponse(pair.toInitiator, now).value();
        }
    }
}
