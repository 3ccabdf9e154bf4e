package jwg.datapath;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import jwg.noise.DropReason;
import jwg.noise.MessageType;
import jwg.noise.Messages;
import jwg.noise.Protocol;
import jwg.noise.keys.Keypair;
import jwg.testing.Packets;
import org.junit.jupiter.api.Test;

/** The datapath in memory: two devices back to back (see {@link BackToBack}), no root, no waiting. */
class BackToBackTest {
    private static byte[] ping(BackToBack.Node from, BackToBack.Node to, int seq) {
        return Packets.icmpEcho(from.ip, to.ip, 1, seq, new byte[56]);
    }

    @Test
    void firstPacketIsStagedThroughTheHandshakeThenDeliveredBothWays() throws Exception {
        try (BackToBack w = new BackToBack()) {
            byte[] ping = ping(w.a, w.b, 1);
            w.a.send(ping);
            assertEquals(1, w.net.queued(), "no session yet: the packet waits, an initiation goes out");
            // initiation -> b; response -> a; a confirms the session with the staged packet -> b
            assertEquals(3, w.pump());
            assertEquals(1, w.b.delivered.size());
            assertArrayEquals(ping, w.b.delivered.getFirst());

            byte[] reply = ping(w.b, w.a, 1);
            w.b.send(reply);
            assertEquals(1, w.pump(), "b's session is confirmed: the reply goes at once");
            assertArrayEquals(reply, w.a.delivered.getFirst());

            PeerState ab = w.a.peer();
            PeerState ba = w.b.peer();
            assertNotEquals(0, ab.lastHandshakeEpochNanos());
            assertNotEquals(0, ba.lastHandshakeEpochNanos());
            assertEquals(ab.txBytes(), ba.rxBytes());
            assertEquals(ba.txBytes(), ab.rxBytes());
            assertEquals(w.b.address(), ab.endpoint().orElseThrow());
            assertTrue(ab.txBytes() > 148 + 32 + 84, "the initiation, and the packet sealed");
        }
    }

    @Test
    void theInitiatorRekeysOnSendAfterRekeyAfterTime() throws Exception {
        try (BackToBack w = new BackToBack()) {
            w.a.send(ping(w.a, w.b, 1));
            w.pump();
            Keypair first = w.a.onlyPeer().keypairs.current();
            long handshake = w.a.peer().lastHandshakeEpochNanos();

            w.advance(Protocol.REKEY_AFTER_TIME.minusSeconds(1));
            w.a.send(ping(w.a, w.b, 2));
            w.pump();
            assertSame(first, w.a.onlyPeer().keypairs.current(), "not yet");

            w.advance(Duration.ofSeconds(2));
            w.a.send(ping(w.a, w.b, 3)); // sent on the old session, and a new handshake asked for
            w.pump();
            Keypair second = w.a.onlyPeer().keypairs.current();
            assertNotSame(first, second);
            assertTrue(w.a.peer().lastHandshakeEpochNanos() > handshake);
            assertEquals(3, w.b.delivered.size(), "nothing lost on the way");
        }
    }

    @Test
    void packetsWaitingForAHandshakeAreBoundedThenGivenUp() throws Exception {
        try (BackToBack w = new BackToBack()) {
            w.net.lose = d -> true; // b never answers
            for (int i = 0; i < Limits.MAX_STAGED + 2; i++) w.a.send(ping(w.a, w.b, i));
            w.pump();
            assertEquals(2, w.a.drops(Drop.STAGED_QUEUE_FULL));
            w.advance(Protocol.REKEY_ATTEMPT_TIME.plus(Protocol.REKEY_TIMEOUT.multipliedBy(3)));
            assertEquals(Limits.MAX_STAGED, w.a.drops(Drop.HANDSHAKE_GAVE_UP));
            assertTrue(w.b.delivered.isEmpty());
        }
    }

    @Test
    void statsCountTheHandshakeAttemptsAndTheFailedOnes() throws Exception {
        try (BackToBack w = new BackToBack()) {
            w.a.send(ping(w.a, w.b, 1));
            w.pump();
            PeerStats ok = w.a.stats().peers().getFirst();
            PeerState state = w.a.peer();
            assertEquals(1, ok.handshakeAttempts());
            assertEquals(0, ok.handshakeFailures(), "answered");
            assertArrayEquals(w.b.publicKey, ok.publicKey());
            assertEquals(state.endpoint(), ok.endpoint());
            assertEquals(state.lastHandshakeEpochNanos(), ok.lastHandshakeEpochNanos());
            assertTrue(ok.lastHandshakeEpochNanos() > 0);
            assertEquals(state.txBytes(), ok.txBytes());
            assertEquals(state.rxBytes(), ok.rxBytes());
            assertEquals(state.allowedIps(), ok.allowedIps());
            assertEquals(0, w.b.stats().peers().getFirst().handshakeAttempts(), "b only answered");

            w.net.lose = d -> true; // b is gone: a's data unanswered, a new handshake (6.5), its retries, giving up
            w.a.send(ping(w.a, w.b, 2));
            w.advance(Protocol.REKEY_ATTEMPT_TIME.multipliedBy(2));
            PeerStats lost = w.a.stats().peers().getFirst();
            assertTrue(lost.handshakeAttempts() > Protocol.REKEY_ATTEMPT_TIME.dividedBy(Protocol.REKEY_TIMEOUT) / 2, lost.toString());
            assertEquals(lost.handshakeAttempts() - 1, lost.handshakeFailures(), "every attempt after the first failed, the last given up");
            assertEquals(ok.lastHandshakeEpochNanos(), lost.lastHandshakeEpochNanos());
        }
    }

    @Test
    void underLoadAHandshakeNeedsACookieAndThenCompletes() throws Exception {
        try (BackToBack w = new BackToBack()) {
            Peer toB = w.a.onlyPeer();
            // An eighth of b's handshake queue in one burst: b works them under load, none has a mac2.
            int burst = Limits.HANDSHAKE_QUEUE / 8;
            for (int i = 0; i < burst; i++) w.a.outbound.initiate(toB, w.clock.nanoTime());
            w.pump();
            assertEquals(burst, w.b.drops(Drop.COOKIE_REQUIRED), "each without mac2 turned away, no DH done");
            assertEquals(0, w.b.drops(DropReason.REPLAYED_TIMESTAMP), "none was decrypted");

            // Within the second that b stays under load, the retry the timers would make: it gets its
            // cookie (the first ones went to initiations a has forgotten), then gets in with it.
            w.clock.advance(Duration.ofMillis(300));
            w.a.outbound.initiate(toB, w.clock.nanoTime());
            w.pump();
            assertEquals(burst + 1, w.b.drops(Drop.COOKIE_REQUIRED), "still under load: a cookie for this one");
            w.clock.advance(Duration.ofMillis(300));
            w.a.outbound.initiate(toB, w.clock.nanoTime()); // with the cookie's mac2
            w.pump();
            assertEquals(burst + 1, w.b.drops(Drop.COOKIE_REQUIRED), "b is still under load, and the cookie let it in");
            assertEquals(0, w.b.drops(Drop.RATE_LIMITED));
            w.a.send(ping(w.a, w.b, 1));
            w.pump();
            assertEquals(1, w.b.delivered.size());
        }
    }

    /**
     * A flood of initiations without cookies: what does not fit in its source's share of the queue
     * is dropped at the copy, the rest turned away by a mac check each, a few answered with cookies (the source's
     * burst), and a transport message among them is opened and delivered.
     */
    @Test
    void aFloodWithoutCookiesIsTurnedAwayCheaplyWhileTransportGoesOn() throws Exception {
        try (BackToBack w = new BackToBack()) {
            w.a.send(ping(w.a, w.b, 1));
            w.pump();
            assertEquals(1, w.b.delivered.size(), "a session");
            Peer toB = w.a.onlyPeer();
            int flood = Limits.HANDSHAKE_QUEUE + 100;
            for (int i = 0; i < flood; i++) w.a.outbound.initiate(toB, w.clock.nanoTime());
            w.a.send(ping(w.a, w.b, 2)); // in the same burst as the flood, on the session there is
            List<MemoryNet.Datagram> cookies = new ArrayList<>();
            w.net.lose = d -> d.to().equals(w.a.address()) && d.bytes().length == jwg.noise.Protocol.COOKIE_REPLY_LEN && cookies.add(d);
            w.pump();
            // One source: its share of the queue is taken (which puts b under load), the rest dropped at the copy.
            assertEquals(flood - Limits.HANDSHAKE_QUEUE_PER_SOURCE, w.b.drops(Drop.HANDSHAKE_SOURCE_SHARE));
            assertEquals(0, w.b.drops(Drop.HANDSHAKE_QUEUE_FULL));
            assertEquals(Limits.HANDSHAKE_QUEUE_PER_SOURCE, w.b.drops(Drop.COOKIE_REQUIRED));
            assertEquals(jwg.noise.ratelimiter.RateLimiter.PACKETS_BURSTABLE, cookies.size(), "cookie replies to one source: its burst");
            assertEquals(cookies.size(), w.b.stats().cookieRepliesSent(), "each cookie reply sent is counted");
            assertEquals(2, w.b.delivered.size(), "the transport message behind the flood was opened and delivered");
        }
    }

    @Test
    void dropPaths() throws Exception {
        try (BackToBack w = new BackToBack()) {
            w.a.send(Packets.icmpEcho(w.a.ip, BackToBack.ip4("10.0.0.9"), 1, 1, new byte[8]));
            assertEquals(1, w.a.drops(Drop.NO_PEER_FOR_DESTINATION));
            w.a.send(new byte[] {0x60, 0}); // neither IPv4 nor IPv6 in full
            w.a.send(new byte[] {0x10, 0, 0, 0});
            assertEquals(2, w.a.drops(Drop.NOT_IP));

            List<MemoryNet.Datagram> seen = new ArrayList<>();
            w.net.lose = d -> !seen.add(d);
            w.a.send(ping(w.a, w.b, 1));
            w.pump();
            MemoryNet.Datagram transport = seen.getLast();
            assertEquals(MessageType.TRANSPORT, Messages.classify(ByteBuffer.wrap(transport.bytes())));
            w.net.inject(transport);
            w.pump();
            assertEquals(1, w.b.drops(Drop.REPLAYED_COUNTER));

            // From a, to b, but from a source b does not route to a.
            w.a.send(Packets.icmpEcho(BackToBack.ip4("10.0.0.7"), w.b.ip, 1, 2, new byte[8]));
            w.pump();
            assertEquals(1, w.b.drops(Drop.SOURCE_NOT_ALLOWED));

            byte[] garbled = transport.bytes().clone();
            garbled[garbled.length - 1] ^= 1;
            w.net.inject(new MemoryNet.Datagram(transport.from(), transport.to(), garbled));
            w.pump();
            assertEquals(1, w.b.drops(Drop.DECRYPTION_FAILED));
            assertEquals(1, w.b.delivered.size());
        }
    }
}
