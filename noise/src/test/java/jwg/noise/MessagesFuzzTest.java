package jwg.noise;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Arrays;
import jwg.crypto.X25519;
import jwg.noise.cookie.CookieChecker;
import jwg.noise.cookie.CookieGenerator;
import jwg.noise.handshake.Handshake;
import jwg.noise.handshake.PeerHandshake;
import jwg.noise.handshake.StaticIdentity;

/**
 * Coverage-guided fuzzing (Jazzer) of what a stranger's UDP datagram meets first: classification
 * and the parsing of the four message types, on raw bytes and on real messages (an initiation
 * and a response with their macs, a cookie reply, a keepalive) mutated by the fuzzer's choices.
 * Checked, beyond "no exception": the classification equals the whitepaper's rules written out
 * here (5.4); it reads only [position, limit), changes neither the bytes nor the buffer's
 * position and limit, and allocates nothing; a parsed message encodes back to exactly the bytes it came from; mac1
 * verifies only when the bytes it covers are the original's; a mutated initiation is consumed
 * only when its authenticated fields are the original's. One target, run by the fuzz execution
 * of surefire (pom.xml) for jwg.fuzz.duration.
 */
class MessagesFuzzTest {
    private static final StaticIdentity RESPONDER = StaticIdentity.of(X25519.generatePrivateKey());
    private static final StaticIdentity INITIATOR = StaticIdentity.of(X25519.generatePrivateKey());
    private static final Handshake RESPONDING = new Handshake(RESPONDER, new SecureRandom());
    private static final PeerHandshake AT_RESPONDER =
            RESPONDING.newPeer(INITIATOR.publicKey(), null, new IndexMap<String>().viewFor("initiator"));
    private static final CookieChecker CHECKER = new CookieChecker(RESPONDER, new SecureRandom());
    private static final byte[][] VALID = validMessages();
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();

    @FuzzTest(maxDuration = "6s")
    void datagram(FuzzedDataProvider data) {
        byte[] m = data.consumeBoolean() ? mutated(data) : data.consumeRemainingAsBytes();
        checkClassification(m);
        checkParse(m);
        if (Messages.classify(m) == MessageType.INITIATION) checkInitiation(m);
        if (m.length == Protocol.INITIATION_LEN || m.length == Protocol.RESPONSE_LEN) checkMac1(m);
    }

    /** A real message, then bits flipped, bytes set, and the end cut or extended, as data says. */
    private static byte[] mutated(FuzzedDataProvider data) {
        byte[] m = VALID[data.consumeInt(0, VALID.length - 1)].clone();
        for (int edits = data.consumeInt(0, 4); edits > 0 && m.length > 0; edits--) {
            int at = data.consumeInt(0, m.length - 1);
            if (data.consumeBoolean()) m[at] ^= (byte) (1 << data.consumeInt(0, 7));
            else m[at] = data.consumeByte();
        }
        int length = switch (data.consumeInt(0, 3)) {
            case 0 -> data.consumeInt(0, m.length);
            case 1 -> m.length + data.consumeInt(1, 64);
            default -> m.length;
        };
        byte[] out = Arrays.copyOf(m, length);
        if (length > m.length) {
            byte[] tail = data.consumeBytes(length - m.length);
            System.arraycopy(tail, 0, out, m.length, tail.length);
        }
        return out;
    }

    /** 5.4's framing, written out: what classify must say of m. */
    private static Classification expected(byte[] m) {
        if (m.length > Protocol.MAX_MESSAGE_LEN) return DropReason.OVERSIZED;
        if (m.length < 4) return DropReason.TRUNCATED;
        MessageType type = switch (m[0]) {
            case 1 -> MessageType.INITIATION;
            case 2 -> MessageType.RESPONSE;
            case 3 -> MessageType.COOKIE_REPLY;
            case 4 -> MessageType.TRANSPORT;
            default -> null;
        };
        if (type == null) return DropReason.UNKNOWN_TYPE;
        if (m[1] != 0 || m[2] != 0 || m[3] != 0) return DropReason.RESERVED_NONZERO;
        int[] exact = {148, 92, 64};
        boolean ok = type == MessageType.TRANSPORT ? m.length >= 32 : m.length == exact[type.ordinal()];
        return ok ? type : DropReason.INVALID_LENGTH;
    }

    /**
     * classify on m alone, and on m inside a larger buffer between foreign bytes (at a position,
     * up to a limit): the same answer, the bytes and the buffer's bounds unchanged.
     */
    private static void checkClassification(byte[] m) {
        Classification c = Messages.classify(m);
        assertSame(expected(m), c);
        byte[] around = new byte[m.length + 7 + 64];
        Arrays.fill(around, (byte) 4); // a transport-looking neighbourhood
        System.arraycopy(m, 0, around, 7, m.length);
        byte[] before = around.clone();
        ByteBuffer b = ByteBuffer.wrap(around).position(7).limit(7 + m.length);
        long allocated = THREADS.getCurrentThreadAllocatedBytes();
        assertSame(c, Messages.classify(b));
        assertEquals(0, THREADS.getCurrentThreadAllocatedBytes() - allocated, "classify allocates nothing");
        assertEquals(7, b.position());
        assertEquals(7 + m.length, b.limit());
        assertArrayEquals(before, around);
        ByteBuffer direct = ByteBuffer.allocateDirect(around.length).put(around).position(7).limit(7 + m.length);
        assertSame(c, Messages.classify(direct));
    }

    /** parseHandshake: a record exactly when classify says a handshake type, which encodes back to m. */
    private static void checkParse(byte[] m) {
        Classification c = Messages.classify(m);
        Result<Message> r = Messages.parseHandshake(m);
        switch (c) {
            case DropReason reason -> assertSame(reason, r.dropReason());
            case MessageType.TRANSPORT -> assertSame(DropReason.NOT_HANDSHAKE, r.dropReason());
            case MessageType type -> {
                assertTrue(r.isOk());
                assertSame(type, r.value().type());
                assertArrayEquals(m, r.value().encode());
            }
        }
    }

    /** mac1 covers everything before it (5.4.4): valid only for the original's bytes there. */
    private static void checkMac1(byte[] m) {
        boolean valid = CHECKER.checkMac1(m);
        byte[] original = VALID[m.length == Protocol.INITIATION_LEN ? 0 : 1];
        int mac1 = m.length - 2 * Protocol.MAC_LEN;
        boolean sameCovered = Arrays.equals(m, 0, mac1 + Protocol.MAC_LEN, original, 0, mac1 + Protocol.MAC_LEN);
        assertEquals(sameCovered && m.length == original.length, valid);
    }

    /**
     * The responder consumes an initiation only if its ephemeral, static and timestamp are the
     * original's (AEAD; the original's timestamp may be consumed once); it never throws.
     */
    private static void checkInitiation(byte[] m) {
        Initiation i = (Initiation) Messages.parseHandshake(m).value();
        Result<PeerHandshake> r = RESPONDING.consumeInitiation(i, key -> Arrays.equals(key, INITIATOR.publicKey()) ? AT_RESPONDER : null, 0);
        if (r.isOk()) assertTrue(Arrays.equals(m, 8, 116, VALID[0], 8, 116), "a forged initiation was consumed");
        else assertFalse(r.dropReason() == null);
    }

    /** An initiation and a response with their macs, a cookie reply, and a keepalive's framing. */
    private static byte[][] validMessages() {
        Handshake initiating = new Handshake(INITIATOR, new SecureRandom());
        PeerHandshake toResponder = initiating.newPeer(RESPONDER.publicKey(), null, new IndexMap<String>().viewFor("responder"));
        byte[] init = initiating.createInitiation(toResponder, Instant.now()).value().encode();
        new CookieGenerator(RESPONDER.publicKey()).addMacs(init, 0);
        // A response from a second responder identity, to the fuzzed-for one's initiator.
        Handshake other = new Handshake(StaticIdentity.of(X25519.generatePrivateKey()), new SecureRandom());
        PeerHandshake toOther = initiating.newPeer(other.identity().publicKey(), null, new IndexMap<String>().viewFor("other"));
        byte[] otherInit = initiating.createInitiation(toOther, Instant.now()).value().encode();
        PeerHandshake atOther = other.newPeer(INITIATOR.publicKey(), null, new IndexMap<String>().viewFor("initiator"));
        other.consumeInitiation((Initiation) Messages.parseHandshake(otherInit).value(), key -> atOther, 0).value();
        byte[] response = other.createResponse(atOther, 0).value().response().encode();
        new CookieGenerator(RESPONDER.publicKey()).addMacs(response, 0); // mac1 as if sent to RESPONDER
        byte[] cookie = CHECKER.createReply(init, new byte[] {10, 0, 0, 1}, 51820, 0).encode();
        byte[] keepalive = new byte[Protocol.TRANSPORT_MIN_LEN];
        ByteBuffer k = ByteBuffer.wrap(keepalive);
        Transport.writeHeader(k, 0, 0x01020304, 7);
        return new byte[][] {init, response, cookie, keepalive};
    }
}
