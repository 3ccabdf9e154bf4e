package jwg.noise.cookie;

import static org.junit.jupiter.api.Assertions.*;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.Arrays;

import jwg.crypto.X25519;
import jwg.noise.CookieReply;
import jwg.noise.DropReason;
import jwg.noise.IndexMap;
import jwg.noise.Initiation;
import jwg.noise.Messages;
import jwg.noise.Protocol;
import jwg.noise.handshake.Handshake;
import jwg.noise.handshake.PeerHandshake;
import jwg.noise.handshake.StaticIdentity;
import org.junit.jupiter.api.Test;

class CookieTest {
    private static final long T0 = 5_000_000_000_000L;
    private static final long SECOND = 1_000_000_000L;
    private static final byte[] IP = {10, 0, 0, 7};
    private static final int PORT = 51820;

    private final SecureRandom random = new SecureRandom();
    private final StaticIdentity responder = StaticIdentity.of(X25519.generatePrivateKey());
    private final CookieChecker checker = new CookieChecker(responder, random);
    private final CookieGenerator generator = new CookieGenerator(responder.publicKey());

    /** An initiation-shaped message (the MACs do not look inside), macs added by the generator. */
    private byte[] initiation(long now) {
        byte[] m = new byte[Protocol.INITIATION_LEN];
        random.nextBytes(m);
        m[0] = 1;
        m[1] = m[2] = m[3] = 0;
        generator.addMacs(m, now);
        return m;
    }

    private byte[] response(long now) {
        byte[] m = new byte[Protocol.RESPONSE_LEN];
        random.nextBytes(m);
        m[0] = 2;
        m[1] = m[2] = m[3] = 0;
        generator.addMacs(m, now);
        return m;
    }

    /** Gets a cookie for IP:PORT into the generator, as after a cookie reply to an initiation. */
    private void obtainCookie(long now) {
        byte[] first = initiation(now);
        CookieReply reply = checker.createReply(first, IP, PORT, now);
        assertTrue(generator.consumeReply(reply, now).isOk());
    }

    @Test
    void mac1CoversTheMessageAndTheResponderKey() {
        byte[] m = initiation(T0);
        assertTrue(checker.checkMac1(m));
        assertTrue(checker.checkMac1(response(T0)));
        byte[] tampered = m.clone();
        tampered[50] ^= 1;
        assertFalse(checker.checkMac1(tampered));
        byte[] badMac = m.clone();
        badMac[Protocol.INITIATION_MAC1_OFFSET + 15] ^= 1;
        assertFalse(checker.checkMac1(badMac));
        CookieChecker other = new CookieChecker(StaticIdentity.of(X25519.generatePrivateKey()), random);
        assertFalse(other.checkMac1(m), "mac1 is keyed with the responder's public key");
        assertFalse(checker.checkMac1(Arrays.copyOf(m, 100)), "wrong length");
    }

    @Test
    void mac2IsZeroAndInvalidWithoutCookie() {
        byte[] m = initiation(T0);
        assertArrayEquals(new byte[16], Arrays.copyOfRange(m, 132, 148));
        assertFalse(checker.checkMac2(m, IP, PORT, T0));
    }

    @Test
    void cookieReplyFlowMakesMac2Valid() {
        byte[] first = initiation(T0);
        assertTrue(checker.checkMac1(first));
        assertFalse(checker.checkMac2(first, IP, PORT, T0), "under load: mac2 missing -> cookie reply");
        CookieReply reply = checker.createReply(first, IP, PORT, T0);
        assertEquals(64, reply.encode().length);
        assertEquals(first[4] & 0xff | (first[5] & 0xff) << 8 | (first[6] & 0xff) << 16 | (first[7] & 0xff) << 24,
                reply.receiver(), "receiver = sender index of the message answered");
        CookieReply parsed = (CookieReply) Messages.parseHandshake(reply.encode()).value();
        assertTrue(generator.consumeReply(parsed, T0 + SECOND).isOk());
        byte[] retry = initiation(T0 + 5 * SECOND);
        assertTrue(checker.checkMac1(retry));
        assertTrue(checker.checkMac2(retry, IP, PORT, T0 + 5 * SECOND));
        byte[] resp = response(T0 + 5 * SECOND);
        assertTrue(checker.checkMac2(resp, IP, PORT, T0 + 5 * SECOND), "responses carry mac2 as well");
    }

    @Test
    void cookieDependsOnThePortNotOnlyTheIp() {
        obtainCookie(T0);
        byte[] m = initiation(T0);
        assertTrue(checker.checkMac2(m, IP, PORT, T0));
        assertFalse(checker.checkMac2(m, IP, PORT + 1, T0), "same IP, other port");
        assertFalse(checker.checkMac2(m, IP, 0x6cca, T0), "port bytes swapped (51820 = 0xca6c)");
        assertFalse(checker.checkMac2(m, new byte[] {10, 0, 0, 8}, PORT, T0), "other IP");
    }

    @Test
    void worksForIpv6Sources() {
        byte[] ip6 = new byte[16];
        ip6[0] = 0x20;
        ip6[1] = 0x01;
        ip6[15] = 1;
        byte[] first = initiation(T0);
        assertTrue(generator.consumeReply(checker.createReply(first, ip6, 443, T0), T0).isOk());
        byte[] m = initiation(T0);
        assertTrue(checker.checkMac2(m, ip6, 443, T0));
        byte[] ip4 = {0x20, 0x01, 0, 0};
        assertFalse(checker.checkMac2(m, ip4, 443, T0));
        assertThrows(IllegalArgumentException.class, () -> checker.checkMac2(m, new byte[5], 443, T0));
    }

    @Test
    void cookieSecretRotatesAfter120Seconds() {
        obtainCookie(T0);
        byte[] m = initiation(T0 + 114 * SECOND); // the generator still uses its cookie (115 s)
        assertTrue(checker.checkMac2(m, IP, PORT, T0 + 119 * SECOND));
        assertFalse(checker.checkMac2(m, IP, PORT, T0 + 120 * SECOND), "R_m renewed: old cookies are invalid");
        // A cookie made from the new secret is valid again.
        obtainCookie(T0 + 121 * SECOND);
        assertTrue(checker.checkMac2(initiation(T0 + 122 * SECOND), IP, PORT, T0 + 122 * SECOND));
    }

    @Test
    void generatorStopsUsingACookieAfter115Seconds() {
        obtainCookie(T0);
        byte[] fresh = initiation(T0 + 114 * SECOND);
        assertFalse(Arrays.equals(new byte[16], Arrays.copyOfRange(fresh, 132, 148)), "still used at 114 s");
        byte[] m = initiation(T0 + 115 * SECOND);
        assertArrayEquals(new byte[16], Arrays.copyOfRange(m, 132, 148));
    }

    @Test
    void replyMustMatchTheLastSentMac1() {
        byte[] first = initiation(T0);
        CookieReply toFirst = checker.createReply(first, IP, PORT, T0);
        initiation(T0); // a newer message: its mac1 is now the AAD expected
        assertEquals(DropReason.COOKIE_REPLY_INVALID, generator.consumeReply(toFirst, T0).dropReason());
    }

    @Test
    void replyWithForeignKeyOrTamperedIsRejected() {
        byte[] m = initiation(T0);
        CookieChecker other = new CookieChecker(StaticIdentity.of(X25519.generatePrivateKey()), random);
        assertEquals(DropReason.COOKIE_REPLY_INVALID, generator.consumeReply(other.createReply(m, IP, PORT, T0), T0).dropReason());
        CookieReply good = checker.createReply(m, IP, PORT, T0);
        byte[] nonce = good.nonce().clone();
        nonce[23] ^= 1;
        assertEquals(DropReason.COOKIE_REPLY_INVALID,
                generator.consumeReply(new CookieReply(good.receiver(), nonce, good.encryptedCookie()), T0).dropReason());
        assertTrue(generator.consumeReply(good, T0).isOk());
    }

    @Test
    void replyWithoutSentMessageOrTwiceIsRejected() {
        CookieGenerator fresh = new CookieGenerator(responder.publicKey());
        byte[] m = initiation(T0);
        CookieReply reply = checker.createReply(m, IP, PORT, T0);
        assertEquals(DropReason.COOKIE_REPLY_UNEXPECTED, fresh.consumeReply(reply, T0).dropReason());
        assertTrue(generator.consumeReply(reply, T0).isOk());
        assertEquals(DropReason.COOKIE_REPLY_UNEXPECTED, generator.consumeReply(reply, T0).dropReason());
    }

    @Test
    void noncesAreFresh() {
        byte[] m = initiation(T0);
        assertFalse(Arrays.equals(checker.createReply(m, IP, PORT, T0).nonce(), checker.createReply(m, IP, PORT, T0).nonce()));
    }

    @Test
    void responderUnderLoadAcceptsTheRetriedInitiation() {
        StaticIdentity initiatorId = StaticIdentity.of(X25519.generatePrivateKey());
        Handshake initiator = new Handshake(initiatorId, random);
        Handshake responderHs = new Handshake(responder, random);
        PeerHandshake toResponder = initiator.newPeer(responder.publicKey(), null, new IndexMap<String>().viewFor("r"));
        PeerHandshake toInitiator = responderHs.newPeer(initiatorId.publicKey(), null, new IndexMap<String>().viewFor("i"));
        Instant clock = Instant.parse("2026-03-01T12:00:00Z");

        byte[] first = initiator.createInitiation(toResponder, clock).value().encode();
        generator.addMacs(first, T0);
        assertTrue(checker.checkMac1(first));
        assertFalse(checker.checkMac2(first, IP, PORT, T0));
        assertTrue(generator.consumeReply(checker.createReply(first, IP, PORT, T0), T0).isOk());

        byte[] retry = initiator.createInitiation(toResponder, clock.plusSeconds(5)).value().encode();
        generator.addMacs(retry, T0 + 5 * SECOND);
        assertTrue(checker.checkMac1(retry));
        assertTrue(checker.checkMac2(retry, IP, PORT, T0 + 5 * SECOND));
        Initiation parsed = (Initiation) Messages.parseHandshake(retry).value();
        assertTrue(responderHs.consumeInitiation(parsed, key -> toInitiator, T0 + 5 * SECOND).isOk());
    }
}
