package jwg.noise.keys;

import static org.junit.jupiter.api.Assertions.*;

import java.util.HashSet;
import java.util.Set;

import java.nio.ByteBuffer;
import jwg.crypto.PacketAead;
import jwg.noise.IndexTable;
import jwg.noise.Protocol;
import org.junit.jupiter.api.Test;

class KeypairTest {
    static final long T0 = 7_000_000_000_000L;
    static final long SECOND = 1_000_000_000L;

    /** An IndexTable that records what is claimed. */
    static final class Claims implements IndexTable {
        final Set<Integer> inUse = new HashSet<>();

        @Override public boolean claim(int index) { return inUse.add(index); }

        @Override public void release(int index) { inUse.remove(index); }
    }

    static Keypair keypair(int localIndex, boolean initiator, long created, Claims claims) {
        claims.claim(localIndex);
        return new Keypair(new byte[32], new byte[32], localIndex, 99, initiator, created, claims);
    }

    @Test
    void sendCountersAreSequentialFromZero() {
        Keypair kp = keypair(1, true, T0, new Claims());
        assertEquals(0, kp.nextSendCounter());
        assertEquals(1, kp.nextSendCounter());
        assertEquals(2, kp.sendCount());
    }

    @Test
    void rejectAfterMessagesIsEnforcedForSending() {
        long last = Protocol.REJECT_AFTER_MESSAGES - 1; // 2^64 - 2^13 - 2, unsigned
        Keypair kp = new Keypair(new byte[32], new byte[32], 1, 2, true, T0, new Claims(), last);
        assertFalse(kp.isExpiredForSending(T0));
        assertEquals(last, kp.nextSendCounter(), "the last usable counter");
        assertTrue(kp.isExpiredForSending(T0));
        for (int i = 0; i < 3; i++) assertEquals(Keypair.COUNTER_EXHAUSTED, kp.nextSendCounter());
        assertEquals(Protocol.REJECT_AFTER_MESSAGES, kp.sendCount(), "the counter does not wrap");
        assertTrue(kp.isExpiredForSending(T0));
    }

    @Test
    void rejectAfterMessagesIsEnforcedForReceiving() {
        Keypair kp = keypair(1, false, T0, new Claims());
        assertFalse(kp.acceptReceivedCounter(Protocol.REJECT_AFTER_MESSAGES));
        assertFalse(kp.acceptReceivedCounter(-1L));
        assertTrue(kp.acceptReceivedCounter(0));
        assertFalse(kp.acceptReceivedCounter(0));
    }

    @Test
    void rekeyAfterMessages() {
        Keypair kp = new Keypair(new byte[32], new byte[32], 1, 2, false, T0, new Claims(), Protocol.REKEY_AFTER_MESSAGES);
        assertFalse(kp.needsRekeyAfterSend(T0));
        kp.nextSendCounter();
        assertTrue(kp.needsRekeyAfterSend(T0), "more than REKEY_AFTER_MESSAGES sent, also as responder");
    }

    @Test
    void rekeyAfterTimeOnlyForTheInitiator() {
        long rekey = Protocol.REKEY_AFTER_TIME.toNanos();
        Keypair initiator = keypair(1, true, T0, new Claims());
        Keypair responder = keypair(2, false, T0, new Claims());
        assertFalse(initiator.needsRekeyAfterSend(T0 + rekey - 1));
        assertTrue(initiator.needsRekeyAfterSend(T0 + rekey));
        assertFalse(responder.needsRekeyAfterSend(T0 + rekey));
        long receiving = (180 - 10 - 5) * SECOND;
        assertFalse(initiator.needsRekeyAfterReceive(T0 + receiving - 1));
        assertTrue(initiator.needsRekeyAfterReceive(T0 + receiving));
        assertFalse(responder.needsRekeyAfterReceive(T0 + receiving));
    }

    @Test
    void expiresAfterRejectAfterTime() {
        Keypair kp = keypair(1, false, T0, new Claims());
        long reject = Protocol.REJECT_AFTER_TIME.toNanos();
        assertFalse(kp.isExpiredForSending(T0 + reject - 1));
        assertFalse(kp.isExpiredForReceiving(T0 + reject - 1));
        assertTrue(kp.isExpiredForSending(T0 + reject));
        assertTrue(kp.isExpiredForReceiving(T0 + reject));
    }

    @Test
    void retireReleasesTheIndexAndWipesTheKeys() {
        Claims claims = new Claims();
        Keypair kp = keypair(5, true, T0, claims);
        assertFalse(kp.isRetired());
        kp.retire();
        assertTrue(kp.isRetired());
        assertFalse(claims.inUse.contains(5));
        PacketAead aead = new PacketAead();
        assertThrows(RuntimeException.class, () -> aead.seal(kp.sendKey(), 0, ByteBuffer.allocateDirect(32).limit(16)), "wiped");
        assertTrue(claims.claim(5));
        kp.retire(); // idempotent: the index, now someone else's, stays claimed
        assertTrue(claims.inUse.contains(5));
    }

    @Test
    void toStringShowsIndicesOnly() {
        assertEquals("Keypair[local=0000000a, remote=00000063, initiator]", keypair(10, true, T0, new Claims()).toString());
    }
}
