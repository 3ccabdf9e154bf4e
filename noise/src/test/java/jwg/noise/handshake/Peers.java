package jwg.noise.handshake;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.Arrays;
import java.util.random.RandomGenerator;

import jwg.crypto.X25519;
import jwg.noise.IndexMap;
import jwg.noise.Initiation;
import jwg.noise.keys.Keypair;

/** Two configured WireGuard identities in memory, each with the other as its peer. */
final class Peers {
    static final long T0 = 1_000_000_000_000L;

    final Handshake initiator;
    final Handshake responder;
    final IndexMap<String> initiatorIndices = new IndexMap<>();
    final IndexMap<String> responderIndices = new IndexMap<>();
    /** The responder as seen by the initiator. */
    final PeerHandshake toResponder;
    /** The initiator as seen by the responder. */
    final PeerHandshake toInitiator;
    final PeerLookup responderLookup;
    Instant clock = Instant.parse("2026-01-01T00:00:00Z");

    Peers(byte[] pskAtInitiator, byte[] pskAtResponder) {
        this(new SecureRandom(), pskAtInitiator, pskAtResponder);
    }

    Peers(RandomGenerator random, byte[] pskAtInitiator, byte[] pskAtResponder) {
        StaticIdentity i = StaticIdentity.of(X25519.generatePrivateKey());
        StaticIdentity r = StaticIdentity.of(X25519.generatePrivateKey());
        initiator = new Handshake(i, random);
        responder = new Handshake(r, random);
        toResponder = initiator.newPeer(r.publicKey(), pskAtInitiator, initiatorIndices.viewFor("responder"));
        toInitiator = responder.newPeer(i.publicKey(), pskAtResponder, responderIndices.viewFor("initiator"));
        responderLookup = key -> Arrays.equals(key, i.publicKey()) ? toInitiator : null;
    }

    /** A fresh initiation, one second after the previous one (TAI64N is coarse). */
    Initiation initiate() {
        clock = clock.plusSeconds(1);
        return initiator.createInitiation(toResponder, clock).value();
    }

    /** A complete handshake at time now: the initiator's and the responder's keypairs. */
    Keypair[] handshake(long now) {
        Initiation init = initiate();
        responder.consumeInitiation(init, responderLookup, now).value();
        Responded r = responder.createResponse(toInitiator, now).value();
        Keypair ki = initiator.consumeResponse(r.response(), toResponder, now).value();
        return new Keypair[] {ki, r.keypair()};
    }
}
