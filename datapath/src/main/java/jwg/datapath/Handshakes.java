package jwg.datapath;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Instant;
import jwg.noise.CookieReply;
import jwg.noise.DropReason;
import jwg.noise.Initiation;
import jwg.noise.MessageType;
import jwg.noise.Messages;
import jwg.noise.Response;
import jwg.noise.Result;
import jwg.noise.handshake.PeerHandshake;
import jwg.noise.handshake.Responded;
import jwg.noise.keys.Keypair;
import jwg.noise.ratelimiter.RateLimiter;

/**
 * The handshake messages that arrive (wireguard-go's receive.go RoutineHandshake with its
 * noise-protocol.go glue): admission first, in the whitepaper's order and before any DH (mac1; under
 * load a cookie, else a cookie reply; the per-source rate limit), then the initiation is answered
 * or the response completes our handshake. Cookie replies are taken here too. What goes out
 * goes through {@link Outbound}.
 */
final class Handshakes {
    private final Core core;
    private final Outbound outbound;
    private final Drops drops;
    private final RateLimiter rateLimiter;

    private long loadWindowStart;
    private int loadWindowCount;
    private boolean underLoad;
    private long underLoadUntil;

    Handshakes(Core core, Outbound outbound) {
        this.core = core;
        this.outbound = outbound;
        this.drops = core.drops;
        this.rateLimiter = new RateLimiter(core.random.nextLong());
    }

    /** A cookie reply at nio[position, limit) (whitepaper 5.4.7). */
    void receiveCookieReply(ByteBuffer nio, long now) {
        CookieReply reply = (CookieReply) Messages.parseHandshake(nio).value();
        Peer peer = core.indices.owner(reply.receiver());
        if (peer == null) {
            drops.count(DropReason.UNKNOWN_RECEIVER, now);
            return;
        }
        // 5.4.7: the cookie is kept for the next message's mac2; the endpoint is not updated.
        Result<CookieReply> r = peer.cookies.consumeReply(reply, now);
        if (!r.isOk()) drops.count(r.dropReason(), now);
    }

    /** An initiation or a response at nio[position, limit), from sender. */
    void receive(MessageType type, ByteBuffer nio, InetSocketAddress sender, long now) {
        if (core.noise == null) {
            drops.count(Drop.NO_PRIVATE_KEY, now);
            return;
        }
        byte[] msg = new byte[nio.remaining()];
        nio.get(nio.position(), msg);
        if (!core.cookieChecker.checkMac1(msg)) {
            drops.count(DropReason.INVALID_MAC1, now);
            return;
        }
        byte[] source = sender.getAddress().getAddress();
        if (underLoad(now)) {
            // 5.4.7: under load a valid mac2 is required; without one the sender gets a cookie.
            if (!core.cookieChecker.checkMac2(msg, source, sender.getPort(), now)) {
                outbound.sendCookieReply(core.cookieChecker.createReply(msg, source, sender.getPort(), now).encode(), sender, now);
                drops.count(Drop.COOKIE_REQUIRED, now);
                return;
            }
            if (!rateLimiter.allow(source, now)) {
                drops.count(Drop.RATE_LIMITED, now);
                return;
            }
        }
        switch (Messages.parseHandshake(msg).value()) {
            case Initiation init -> receiveInitiation(init, msg.length, sender, now);
            case Response resp -> receiveResponse(resp, msg.length, sender, now);
            case CookieReply c -> throw new AssertionError("cookie replies are handled before");
        }
    }

    /** Whitepaper 5.4.7: "under load" when handshake messages arrive faster than LOAD_THRESHOLD per window. */
    private boolean underLoad(long now) {
        if (now - loadWindowStart > Limits.LOAD_WINDOW_NANOS) {
            loadWindowStart = now;
            loadWindowCount = 0;
        }
        if (++loadWindowCount > Limits.LOAD_THRESHOLD) {
            underLoad = true;
            underLoadUntil = now + Limits.LOAD_DURATION_NANOS;
        } else if (underLoad && now - underLoadUntil > 0) {
            underLoad = false;
        }
        return underLoad;
    }

    /** Responder (5.4.2, 5.4.3): a valid initiation is answered; its keypair waits as `next` until the initiator uses it. */
    private void receiveInitiation(Initiation init, int len, InetSocketAddress sender, long now) {
        Peer[] found = new Peer[1];
        Result<PeerHandshake> r = core.noise.consumeInitiation(init, key -> {
            found[0] = core.peer(key);
            return found[0] == null ? null : found[0].handshake();
        }, now);
        if (!r.isOk()) {
            drops.count(r.dropReason(), now);
            return;
        }
        Peer peer = found[0];
        peer.received(sender, len, now);
        Result<Responded> resp = core.noise.createResponse(peer.handshake(), now);
        if (!resp.isOk()) {
            drops.count(resp.dropReason(), now);
            return;
        }
        peer.keypairs.install(resp.value().keypair()); // goes to `next` until the initiator uses it
        byte[] msg = resp.value().response().encode();
        peer.cookies.addMacs(msg, now);
        outbound.sendHandshakeMessage(peer, msg, now);
        peer.timers.handshakeResponseSent(now);
        peer.timers.sessionDerived(now);
        Log.debug(peer + ": handshake initiation received, response sent");
    }

    /** Initiator (5.4.3, 5.4.5): the response completes our handshake; the session is confirmed to the responder at once. */
    private void receiveResponse(Response resp, int len, InetSocketAddress sender, long now) {
        Peer peer = core.indices.owner(resp.receiver());
        if (peer == null) {
            drops.count(DropReason.UNKNOWN_RECEIVER, now);
            return;
        }
        Result<Keypair> r = core.noise.consumeResponse(resp, peer.handshake(), now);
        if (!r.isOk()) {
            drops.count(r.dropReason(), now);
            return;
        }
        peer.keypairs.install(r.value());
        peer.timers.sessionDerived(now);
        peer.timers.handshakeComplete();
        peer.received(sender, len, now);
        established(peer);
        // Confirm the session to the responder: with the waiting packets, or a keepalive (5.4.5).
        if (peer.staged.isEmpty()) outbound.sendKeepalive(peer, now);
        else outbound.sendStaged(peer, now);
    }

    /** A session is established: as initiator on the response, as responder on the first transport message of `next`. */
    void established(Peer peer) {
        Instant t = core.clock.now();
        peer.lastHandshakeEpochNanos = t.getEpochSecond() * 1_000_000_000L + t.getNano();
        Log.info(peer + ": handshake complete, session established");
    }
}
