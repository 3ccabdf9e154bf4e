package jwg.noise.handshake;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

class PeerHandshakeDestroyTest {
    @Test
    void destroyWipesThePerPeerSecrets() {
        byte[] psk = new byte[32];
        psk[0] = 7;
        Peers p = new Peers(psk, psk);
        assertTrue(p.toResponder.staticStaticValid());
        assertFalse(isZero(p.toResponder.precomputedStaticStatic()));
        p.toResponder.destroy();
        assertTrue(isZero(p.toResponder.precomputedStaticStatic()), "static-static DH wiped");
        assertTrue(isZero(p.toResponder.presharedKey()), "PSK wiped");
        assertFalse(p.initiator.createInitiation(p.toResponder, p.clock).isOk(), "a destroyed peer handshakes no more");
    }

    /** Adding a peer costs no X25519: the static-static DH is computed at its first handshake. */
    @Test
    void theStaticStaticDhWaitsForTheFirstHandshake() {
        Peers p = new Peers(null, null);
        assertTrue(isZero(p.toResponder.precomputedStaticStatic()), "not computed when the peer was made");
        assertTrue(p.initiator.createInitiation(p.toResponder, p.clock).isOk());
        assertFalse(isZero(p.toResponder.precomputedStaticStatic()), "computed by the first initiation");
    }

    @Test
    void aPeerDestroyedBeforeItsFirstHandshakeNeverComputesIt() {
        Peers p = new Peers(null, null);
        p.toResponder.destroy();
        assertFalse(p.initiator.createInitiation(p.toResponder, p.clock).isOk());
        assertTrue(isZero(p.toResponder.precomputedStaticStatic()));
    }

    private static boolean isZero(byte[] a) {
        for (byte b : a) if (b != 0) return false;
        return true;
    }
}
