package jwg.noise.keys;

import static jwg.noise.keys.KeypairTest.T0;
import static jwg.noise.keys.KeypairTest.keypair;
import static org.junit.jupiter.api.Assertions.*;

import jwg.noise.keys.KeypairTest.Claims;
import org.junit.jupiter.api.Test;

class KeypairsTest {
    private final Claims claims = new Claims();
    private final Keypairs keypairs = new Keypairs();

    @Test
    void responderDoesNotSendOnNextUntilItReceivedOnIt() {
        Keypair kp = keypair(1, false, T0, claims);
        keypairs.install(kp);
        assertNull(keypairs.current(), "nothing to send with yet");
        assertSame(kp, keypairs.next());
        assertSame(kp, keypairs.forLocalIndex(1), "but it receives on it");
        assertTrue(keypairs.receivedWith(kp));
        assertSame(kp, keypairs.current());
        assertNull(keypairs.next());
        assertFalse(keypairs.receivedWith(kp), "confirmed once");
    }

    @Test
    void responderKeepsSendingOnTheOldCurrentMeanwhile() {
        Keypair old = keypair(1, true, T0, claims);
        keypairs.install(old);
        Keypair fresh = keypair(2, false, T0, claims);
        keypairs.install(fresh);
        assertSame(old, keypairs.current());
        assertSame(fresh, keypairs.next());
        assertFalse(keypairs.receivedWith(old), "receiving on current changes nothing");
        assertTrue(keypairs.receivedWith(fresh));
        assertSame(fresh, keypairs.current());
        assertSame(old, keypairs.previous());
    }

    @Test
    void initiatorKeypairIsCurrentAtOnce() {
        Keypair first = keypair(1, true, T0, claims);
        Keypair second = keypair(2, true, T0, claims);
        Keypair third = keypair(3, true, T0, claims);
        keypairs.install(first);
        assertSame(first, keypairs.current());
        keypairs.install(second);
        assertSame(second, keypairs.current());
        assertSame(first, keypairs.previous());
        keypairs.install(third);
        assertSame(third, keypairs.current());
        assertSame(second, keypairs.previous());
        assertTrue(first.isRetired(), "the old previous is dropped");
        assertFalse(claims.inUse.contains(1));
        assertNull(keypairs.forLocalIndex(1));
        assertSame(second, keypairs.forLocalIndex(2));
    }

    @Test
    void initiatorKeypairReplacesAnUnconfirmedNext() {
        Keypair current = keypair(1, true, T0, claims);
        keypairs.install(current);
        Keypair next = keypair(2, false, T0, claims);
        keypairs.install(next);
        Keypair mine = keypair(3, true, T0, claims);
        keypairs.install(mine);
        assertSame(mine, keypairs.current());
        assertSame(next, keypairs.previous());
        assertNull(keypairs.next());
        assertTrue(current.isRetired());
        assertFalse(next.isRetired());
    }

    @Test
    void newResponderKeypairReplacesNextAndDropsPrevious() {
        Keypair a = keypair(1, true, T0, claims);
        Keypair b = keypair(2, true, T0, claims);
        keypairs.install(a);
        keypairs.install(b);
        Keypair n1 = keypair(3, false, T0, claims);
        Keypair n2 = keypair(4, false, T0, claims);
        keypairs.install(n1);
        assertTrue(a.isRetired());
        assertNull(keypairs.previous());
        keypairs.install(n2);
        assertTrue(n1.isRetired());
        assertSame(n2, keypairs.next());
        assertSame(b, keypairs.current());
    }

    @Test
    void clearDropsEverything() {
        Keypair a = keypair(1, true, T0, claims);
        Keypair b = keypair(2, true, T0, claims);
        Keypair c = keypair(3, false, T0, claims);
        keypairs.install(a);
        keypairs.install(b);
        keypairs.install(c);
        keypairs.clear();
        assertNull(keypairs.current());
        assertNull(keypairs.previous());
        assertNull(keypairs.next());
        assertTrue(a.isRetired() && b.isRetired() && c.isRetired());
        assertTrue(claims.inUse.isEmpty());
    }
}
