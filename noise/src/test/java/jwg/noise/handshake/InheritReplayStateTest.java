package jwg.noise.handshake;

import static org.junit.jupiter.api.Assertions.*;

import jwg.crypto.X25519;
import jwg.noise.DropReason;
import jwg.noise.IndexMap;
import jwg.noise.Initiation;
import org.junit.jupiter.api.Test;

/** A responder whose private key changes A -> B -> A must still refuse an initiation it accepted under A. */
class InheritReplayStateTest {
    @Test
    void replayedInitiationStaysRefusedAfterTheKeyChangesBack() {
        Peers p = new Peers(null, null);
        Initiation init = p.initiate();
        long now = Peers.T0;
        assertTrue(p.responder.consumeInitiation(init, p.responderLookup, now).isOk());

        // The responder's peer state is rebuilt for a new local key (B) and then for A again.
        Handshake b = new Handshake(StaticIdentity.of(X25519.generatePrivateKey()), new java.security.SecureRandom());
        PeerHandshake underB = b.newPeer(p.toInitiator.remoteStatic(), null, new IndexMap<String>().viewFor("x"));
        underB.inheritReplayState(p.toInitiator);
        PeerHandshake backUnderA = p.responder.newPeer(p.toInitiator.remoteStatic(), null, new IndexMap<String>().viewFor("y"));
        backUnderA.inheritReplayState(underB);

        var again = p.responder.consumeInitiation(init, key -> backUnderA, now + 1_000_000_000L);
        assertEquals(DropReason.REPLAYED_TIMESTAMP, again.dropReason());

        PeerHandshake fresh = p.responder.newPeer(p.toInitiator.remoteStatic(), null, new IndexMap<String>().viewFor("z"));
        assertTrue(p.responder.consumeInitiation(init, key -> fresh, now + 1_000_000_000L).isOk(),
                "without the inherited state the replay would be accepted: the test can fail");
    }
}
