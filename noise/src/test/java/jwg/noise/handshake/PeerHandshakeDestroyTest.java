package jwg.noise.handshake;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

class PeerHandshakeDestroyTest {
    @Test
    void destroyWipesThePerPeerSecrets() {
        byte[] psk = new byte[32];
        psk[0] = 7;
        Peers p = new Peers(psk, psk);
        assertFalse(isZero(p.toResponder.precomputedStaticStatic()));
        p.toResponder.destroy();
        assertTrue(isZero(p.toResponder.precomputedStaticStatic()), "static-static DH wiped");
        assertTrue(isZero(p.toResponder.presharedKey()), "PSK wiped");
        assertFalse(p.initiator.createInitiation(p.toResponder, p.clock).isOk(), "a destroyed peer handshakes no more");
    }

    private static boolean isZero(byte[] a) {
        for (byte b : a) if (b != 0) return false;
        return true;
    }
}
