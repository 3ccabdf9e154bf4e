package jwg.noise.handshake;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HashSet;
import java.util.Set;

import jwg.crypto.PacketAead;
import jwg.crypto.SessionKey;
import jwg.noise.DropReason;
import jwg.noise.IndexTable;
import jwg.noise.Initiation;
import jwg.noise.Protocol;
import jwg.noise.Response;
import jwg.noise.Result;
import jwg.noise.ScriptedRandom;
import jwg.noise.keys.Keypair;
import org.junit.jupiter.api.Test;

class HandshakeTest {
    private static final long T0 = Peers.T0;
    private static final long MS = 1_000_000L;
    private static final byte[] PSK_A = filled(0x2a);
    private static final byte[] PSK_B = filled(0x3b);

    private static byte[] filled(int v) {
        byte[] b = new byte[32];
        java.util.Arrays.fill(b, (byte) v);
        return b;
    }

    /** Seals with one key and opens with the other: true if they are the same key. */
    private static boolean sameKey(SessionKey sealer, SessionKey opener) {
        PacketAead aead = new PacketAead();
        byte[] text = "transport payload".getBytes(StandardCharsets.US_ASCII);
        ByteBuffer buf = ByteBuffer.allocateDirect(64);
        buf.put(text).flip();
        aead.seal(sealer, 7, buf);
        boolean opened = aead.open(opener, 7, buf);
        if (!opened) return false;
        byte[] back = new byte[buf.remaining()];
        buf.get(back);
        return java.util.Arrays.equals(text, back);
    }

    private static void assertMatchingKeypairs(Keypair initiator, Keypair responder) {
        assertTrue(initiator.isInitiator());
        assertFalse(responder.isInitiator());
        assertEquals(initiator.localIndex(), responder.remoteIndex());
        assertEquals(initiator.remoteIndex(), responder.localIndex());
        assertTrue(sameKey(initiator.sendKey(), responder.receiveKey()), "initiator -> responder");
        assertTrue(sameKey(responder.sendKey(), initiator.receiveKey()), "responder -> initiator");
        assertFalse(sameKey(initiator.sendKey(), initiator.receiveKey()), "the two directions use different keys");
    }

    @Test
    void completesWithoutPsk() {
        Peers p = new Peers(null, null);
        Keypair[] k = p.handshake(T0);
        assertMatchingKeypairs(k[0], k[1]);
        assertEquals(HandshakeState.ZEROED, p.toResponder.state(), "handshake secrets wiped");
        assertEquals(HandshakeState.ZEROED, p.toInitiator.state());
    }

    @Test
    void completesWithPsk() {
        Peers p = new Peers(PSK_A, PSK_A);
        Keypair[] k = p.handshake(T0);
        assertMatchingKeypairs(k[0], k[1]);
    }

    @Test
    void differentPsksFailAtTheInitiator() {
        Peers p = new Peers(PSK_A, PSK_B);
        Initiation init = p.initiate();
        assertTrue(p.responder.consumeInitiation(init, p.responderLookup, T0).isOk(), "the PSK is not in the initiation");
        Response r = p.responder.createResponse(p.toInitiator, T0).value().response();
        assertEquals(DropReason.DECRYPTION_FAILED, p.initiator.consumeResponse(r, p.toResponder, T0).dropReason());
        assertEquals(HandshakeState.INITIATION_CREATED, p.toResponder.state(), "a bad response does not end the attempt");
    }

    @Test
    void pskChangeAppliesToTheNextHandshake() {
        Peers p = new Peers(PSK_A, PSK_A);
        p.handshake(T0);
        p.toResponder.setPresharedKey(PSK_B);
        Initiation init = p.initiate();
        p.responder.consumeInitiation(init, p.responderLookup, T0 + 100 * MS).value();
        Response r = p.responder.createResponse(p.toInitiator, T0 + 100 * MS).value().response();
        assertEquals(DropReason.DECRYPTION_FAILED, p.initiator.consumeResponse(r, p.toResponder, T0).dropReason());
        p.toInitiator.setPresharedKey(PSK_B);
        Keypair[] k = p.handshake(T0 + 200 * MS);
        assertMatchingKeypairs(k[0], k[1]);
        p.toInitiator.setPresharedKey(null);
        p.toResponder.setPresharedKey(null);
        k = p.handshake(T0 + 300 * MS);
        assertMatchingKeypairs(k[0], k[1]);
    }

    @Test
    void replayedInitiationIsRejected() {
        Peers p = new Peers(null, null);
        Initiation init = p.initiate();
        assertTrue(p.responder.consumeInitiation(init, p.responderLookup, T0).isOk());
        assertEquals(DropReason.REPLAYED_TIMESTAMP,
                p.responder.consumeInitiation(init, p.responderLookup, T0 + 1000 * MS).dropReason());
        // An older timestamp, freshly encrypted, is a replay too.
        p.clock = p.clock.minusSeconds(10);
        Initiation older = p.initiator.createInitiation(p.toResponder, p.clock).value();
        assertEquals(DropReason.REPLAYED_TIMESTAMP,
                p.responder.consumeInitiation(older, p.responderLookup, T0 + 2000 * MS).dropReason());
    }

    @Test
    void initiationsMoreOftenThanEvery20msAreRejected() {
        Peers p = new Peers(null, null);
        assertTrue(p.responder.consumeInitiation(p.initiate(), p.responderLookup, T0).isOk());
        Initiation second = p.initiate();
        assertEquals(DropReason.INITIATION_FLOOD,
                p.responder.consumeInitiation(second, p.responderLookup, T0 + 19 * MS).dropReason());
        assertTrue(p.responder.consumeInitiation(second, p.responderLookup,
                T0 + Protocol.HANDSHAKE_INITIATION_RATE.toNanos()).isOk());
    }

    @Test
    void floodedOrReplayedInitiationDoesNotDisturbTheConsumedOne() {
        Peers p = new Peers(null, null);
        Initiation first = p.initiate();
        p.responder.consumeInitiation(first, p.responderLookup, T0).value();
        p.responder.consumeInitiation(first, p.responderLookup, T0 + 5 * MS);
        Responded r = p.responder.createResponse(p.toInitiator, T0).value();
        assertTrue(p.initiator.consumeResponse(r.response(), p.toResponder, T0).isOk());
    }

    @Test
    void unknownStaticKeyIsRejected() {
        Peers p = new Peers(null, null);
        assertEquals(DropReason.UNKNOWN_PEER,
                p.responder.consumeInitiation(p.initiate(), key -> null, T0).dropReason());
    }

    @Test
    void initiationForAnotherResponderFailsToDecrypt() {
        Peers p = new Peers(null, null);
        Peers other = new Peers(null, null);
        assertEquals(DropReason.DECRYPTION_FAILED,
                other.responder.consumeInitiation(p.initiate(), p.responderLookup, T0).dropReason());
    }

    @Test
    void tamperedFieldsAreRejected() {
        Peers p = new Peers(null, null);
        Initiation good = p.initiate();
        byte[] badStatic = good.encryptedStatic().clone();
        badStatic[3] ^= 1;
        assertEquals(DropReason.DECRYPTION_FAILED, p.responder.consumeInitiation(
                new Initiation(good.sender(), good.ephemeral(), badStatic, good.encryptedTimestamp(), good.mac1(), good.mac2()),
                p.responderLookup, T0).dropReason());
        byte[] badTimestamp = good.encryptedTimestamp().clone();
        badTimestamp[27] ^= 1;
        assertEquals(DropReason.DECRYPTION_FAILED, p.responder.consumeInitiation(
                new Initiation(good.sender(), good.ephemeral(), good.encryptedStatic(), badTimestamp, good.mac1(), good.mac2()),
                p.responderLookup, T0).dropReason());
        byte[] badEphemeral = good.ephemeral().clone();
        badEphemeral[0] ^= 1;
        assertEquals(DropReason.DECRYPTION_FAILED, p.responder.consumeInitiation(
                new Initiation(good.sender(), badEphemeral, good.encryptedStatic(), good.encryptedTimestamp(), good.mac1(), good.mac2()),
                p.responderLookup, T0).dropReason());
        // The untampered one is still accepted: failures changed no state.
        assertTrue(p.responder.consumeInitiation(good, p.responderLookup, T0).isOk());
        Response r = p.responder.createResponse(p.toInitiator, T0).value().response();
        byte[] badNothing = r.encryptedNothing().clone();
        badNothing[0] ^= 1;
        assertEquals(DropReason.DECRYPTION_FAILED, p.initiator.consumeResponse(
                new Response(r.sender(), r.receiver(), r.ephemeral(), badNothing, r.mac1(), r.mac2()),
                p.toResponder, T0).dropReason());
        assertTrue(p.initiator.consumeResponse(r, p.toResponder, T0).isOk());
    }

    @Test
    void lowOrderKeysAreRejected() {
        Peers p = new Peers(null, null);
        PeerHandshake zeroPeer = p.initiator.newPeer(new byte[32], null, p.initiatorIndices.viewFor("zero"));
        assertEquals(DropReason.LOW_ORDER_KEY, p.initiator.createInitiation(zeroPeer, p.clock).dropReason());
        Initiation good = p.initiate();
        Initiation zeroEphemeral = new Initiation(good.sender(), new byte[32], good.encryptedStatic(),
                good.encryptedTimestamp(), good.mac1(), good.mac2());
        assertEquals(DropReason.LOW_ORDER_KEY, p.responder.consumeInitiation(zeroEphemeral, p.responderLookup, T0).dropReason());
        p.responder.consumeInitiation(good, p.responderLookup, T0).value();
        Response r = p.responder.createResponse(p.toInitiator, T0).value().response();
        Response zeroResponse = new Response(r.sender(), r.receiver(), new byte[32], r.encryptedNothing(), r.mac1(), r.mac2());
        assertEquals(DropReason.LOW_ORDER_KEY, p.initiator.consumeResponse(zeroResponse, p.toResponder, T0).dropReason());
    }

    @Test
    void outOfOrderStepsAreRejected() {
        Peers p = new Peers(null, null);
        assertEquals(DropReason.UNEXPECTED_STATE, p.responder.createResponse(p.toInitiator, T0).dropReason());
        Initiation init = p.initiate();
        p.responder.consumeInitiation(init, p.responderLookup, T0).value();
        Response r = p.responder.createResponse(p.toInitiator, T0).value().response();
        assertEquals(DropReason.UNEXPECTED_STATE, p.responder.createResponse(p.toInitiator, T0).dropReason(),
                "one response per consumed initiation");
        Response wrongReceiver = new Response(r.sender(), r.receiver() + 1, r.ephemeral(), r.encryptedNothing(), r.mac1(), r.mac2());
        assertEquals(DropReason.UNKNOWN_RECEIVER, p.initiator.consumeResponse(wrongReceiver, p.toResponder, T0).dropReason());
        assertTrue(p.initiator.consumeResponse(r, p.toResponder, T0).isOk());
        assertEquals(DropReason.UNEXPECTED_STATE, p.initiator.consumeResponse(r, p.toResponder, T0).dropReason(),
                "a response is consumed once");
    }

    @Test
    void indicesAreRandomUniqueAndOwnedByTheKeypair() {
        Peers p = new Peers(null, null);
        Set<Integer> seen = new HashSet<>();
        int sequential = 0;
        int previous = 0;
        for (int i = 0; i < 200; i++) {
            Keypair[] k = p.handshake(T0 + i * 100 * MS);
            assertTrue(seen.add(k[0].localIndex()));
            assertTrue(seen.add(k[1].localIndex()));
            if (k[0].localIndex() == previous + 1) sequential++;
            previous = k[0].localIndex();
            // The index stays claimed by the keypair until it is retired.
            assertEquals("responder", p.initiatorIndices.owner(k[0].localIndex()));
            assertEquals("initiator", p.responderIndices.owner(k[1].localIndex()));
            k[0].retire();
            k[1].retire();
            assertNull(p.initiatorIndices.owner(k[0].localIndex()));
        }
        assertTrue(sequential < 2, "indices must not be sequential");
        assertEquals(0, p.initiatorIndices.size());
        assertEquals(0, p.responderIndices.size());
    }

    @Test
    void indexInUseIsNotHandedOutAgain() {
        Set<Integer> used = new HashSet<>(Set.of(7, 8));
        IndexTable table = new IndexTable() {
            @Override public boolean claim(int index) { return used.add(index); }

            @Override public void release(int index) { used.remove(index); }
        };
        ScriptedRandom random = new ScriptedRandom().withBytes(new byte[32]).withInts(7, 8, 7, 9);
        Handshake hs = new Handshake(StaticIdentity.of(jwg.crypto.X25519.generatePrivateKey()), random);
        PeerHandshake peer = hs.newPeer(StaticIdentity.of(jwg.crypto.X25519.generatePrivateKey()).publicKey(), null, table);
        Initiation init = hs.createInitiation(peer, java.time.Instant.EPOCH).value();
        assertEquals(9, init.sender());
        assertTrue(random.exhausted());
    }

    @Test
    void newInitiationReleasesTheIndexOfTheAbandonedOne() {
        Peers p = new Peers(null, null);
        Initiation first = p.initiate();
        Initiation second = p.initiate();
        assertNull(p.initiatorIndices.owner(first.sender()));
        assertEquals("responder", p.initiatorIndices.owner(second.sender()));
        p.toResponder.clear();
        assertEquals(0, p.initiatorIndices.size());
        assertEquals(HandshakeState.ZEROED, p.toResponder.state());
    }

    @Test
    void responseToAnAbandonedInitiationIsRejected() {
        Peers p = new Peers(null, null);
        Initiation first = p.initiate();
        p.responder.consumeInitiation(first, p.responderLookup, T0).value();
        Response r = p.responder.createResponse(p.toInitiator, T0).value().response();
        p.initiate();
        assertEquals(DropReason.UNKNOWN_RECEIVER, p.initiator.consumeResponse(r, p.toResponder, T0).dropReason());
    }

    @Test
    void exchangesTransportMessagesBothWays() {
        Peers p = new Peers(new SecureRandom(), PSK_A, PSK_A);
        Keypair[] k = p.handshake(T0);
        PacketAead aead = new PacketAead();
        for (int dir = 0; dir < 2; dir++) {
            Keypair from = k[dir];
            Keypair to = k[1 - dir];
            byte[] payload = ("ping " + dir).getBytes(StandardCharsets.US_ASCII);
            ByteBuffer msg = ByteBuffer.allocateDirect(128);
            long counter = from.nextSendCounter();
            jwg.noise.Transport.writeHeader(msg, 0, from.remoteIndex(), counter);
            int padded = jwg.noise.Transport.paddedLength(payload.length, 1420);
            msg.position(16);
            msg.put(payload);
            msg.put(new byte[padded - payload.length]);
            msg.flip().position(16);
            aead.seal(from.sendKey(), counter, msg);
            msg.position(0);
            assertEquals(jwg.noise.MessageType.TRANSPORT, jwg.noise.Messages.classify(msg));
            assertEquals(to.localIndex(), jwg.noise.Transport.receiverIndex(msg, 0));
            long received = jwg.noise.Transport.counter(msg, 0);
            msg.position(16);
            assertTrue(aead.open(to.receiveKey(), received, msg));
            assertTrue(to.acceptReceivedCounter(received));
            assertFalse(to.acceptReceivedCounter(received), "replay");
            byte[] got = new byte[payload.length];
            msg.get(got);
            assertArrayEquals(payload, got);
        }
    }

    @Test
    void resultAccessorsAreTyped() {
        Result<Integer> drop = Result.drop(DropReason.INVALID_MAC1);
        assertFalse(drop.isOk());
        assertThrows(IllegalStateException.class, drop::value);
        assertNull(Result.ok(1).dropReason());
    }
}
