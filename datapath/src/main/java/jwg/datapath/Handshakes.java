package jwg.datapath;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import jwg.noise.CookieReply;
import jwg.noise.DropReason;
import jwg.noise.Initiation;
import jwg.noise.Protocol;
import jwg.noise.Messages;
import jwg.noise.Response;
import jwg.noise.Result;
import jwg.noise.handshake.PeerHandshake;
import jwg.noise.handshake.Responded;
import jwg.noise.keys.Keypair;
import jwg.noise.ratelimiter.RateLimiter;

/**
 * The handshake messages that arrive (wireguard-go's receive.go RoutineHandshake with its
 * noise-protocol.go glue). They do not take the loop as they come: each is copied into the
 * {@link HandshakeQueue} ({@link #admit}; a full queue drops it, counted), and after each burst of
 * reads the loop gives the queue one slice of at most {@link Limits#HANDSHAKE_SLICE_NANOS}
 * ({@link #work}), so that a flood costs the data no more than those slices while transport
 * messages are opened as they arrive. In a slice, oldest first: admission in the whitepaper's
 * order and before any DH (mac1; under load, the queue's measure as in the references, a valid
 * mac2, without which the sender gets a cookie reply, at most
 * {@link RateLimiter#PACKETS_PER_SECOND} a second per source address; the per-source rate
 * limit), then the initiation is answered or the response completes our handshake; cookie
 * replies are kept. What goes out goes through {@link Outbound}.
 */
final class Handshakes {
    private final Core core;
    private final Outbound outbound;
    private final Drops drops;
    private final RateLimiter rateLimiter;
    /** Cookie replies per source address: under a flood without cookies, answering each would cost the loop more than the flood. */
    private final RateLimiter cookieReplies;
    private final HandshakeQueue queue;
    /** A slice of {@link #work} is queued on the loop. */
    private boolean scheduled;

    Handshakes(Core core, Outbound outbound) {
        this.core = core;
        this.outbound = outbound;
        this.drops = core.drops;
        this.queue = new HandshakeQueue(Limits.HANDSHAKE_QUEUE, Limits.HANDSHAKE_QUEUE_PER_SOURCE, core.random.nextLong());
        this.rateLimiter = new RateLimiter(core.random.nextLong());
        this.cookieReplies = new RateLimiter(Limits.COOKIE_REPLY_SOURCES, core.random.nextLong());
    }

    /**
     * An initiation, a response or a cookie reply at nio[position, limit) (classified so), from
     * sender, as it arrives: copied into the queue for the next slice, or dropped (counted) if the
     * queue is full. Nothing else is done here: under a flood, a copy is what the loop can afford
     * for each message while it still reads everything that arrives.
     */
    void admit(ByteBuffer nio, InetSocketAddress sender, long now) {
        if (!queue.offer(nio, sender)) drops.count(queue.isFull() ? Drop.HANDSHAKE_QUEUE_FULL : Drop.HANDSHAKE_SOURCE_SHARE, now);
    }

    /** The end of a burst of reads: if messages wait, a slice of handshake work follows on the loop. */
    void scheduleWork() {
        if (!scheduled && !queue.isEmpty()) {
            scheduled = true;
            core.loop.execute(this::work);
        }
    }

    /**
     * One slice: the waiting messages, oldest first, until the queue is empty or the slice's time
     * is up; then what was answered is sent, and the rest waits for another slice, after the
     * loop's next reads. (Scheduled a little later, not executed: Netty runs the tasks that tasks
     * add for up to a second before it reads again, and the reads must come first.)
     */
    private void work() {
        scheduled = false;
        long start = core.clock.nanoTime();
        long now = start;
        try {
            while (!queue.isEmpty()) {
                if (!core.linkUp) {
                    for (int i = queue.clear(); i > 0; i--) drops.count(Drop.INTERFACE_DOWN, now);
                    return;
                }
                try {
                    take(queue.message(), queue.sender(), queue.underLoad(now), now);
                } catch (RuntimeException e) {
                    core.internalError(e);
                } finally {
                    queue.remove();
                }
                now = core.clock.nanoTime();
                if (now - start >= Limits.HANDSHAKE_SLICE_NANOS) break;
            }
        } finally {
            core.udp.flush();
            if (!queue.isEmpty()) {
                scheduled = true;
                core.loop.schedule(this::work, Limits.HANDSHAKE_YIELD_NANOS, TimeUnit.NANOSECONDS);
            }
        }
    }

    /** msg: a whole handshake message or cookie reply, an array of exactly its length. */
    private void take(byte[] msg, InetSocketAddress sender, boolean underLoad, long now) {
        if (msg.length == Protocol.COOKIE_REPLY_LEN) receiveCookieReply(msg, now);
        else receiveHandshake(msg, sender, underLoad, now);
    }

    /** A cookie reply (whitepaper 5.4.7). */
    private void receiveCookieReply(byte[] msg, long now) {
        CookieReply reply = (CookieReply) Messages.parseHandshake(msg).value();
        Peer peer = core.indices.owner(reply.receiver());
        if (peer == null) {
            drops.count(DropReason.UNKNOWN_RECEIVER, now);
            return;
        }
        // 5.4.7: the cookie is kept for the next message's mac2; the endpoint is not updated.
        Result<CookieReply> r = peer.cookies.consumeReply(reply, now);
        if (!r.isOk()) drops.count(r.dropReason(), now);
    }

    /**
     * An initiation or a response, from sender: admitted first (mac1; under load a valid mac2, else
     * a cookie reply, and the rate limit), then consumed.
     */
    private void receiveHandshake(byte[] msg, InetSocketAddress sender, boolean underLoad, long now) {
        if (core.noise == null) {
            drops.count(Drop.NO_PRIVATE_KEY, now);
            return;
        }
        if (!core.cookieChecker.checkMac1(msg)) {
            drops.count(DropReason.INVALID_MAC1, now);
            return;
        }
        if (underLoad) {
            byte[] source = sender.getAddress().getAddress();
            // 5.4.7: under load a valid mac2 is required; without one the sender gets a cookie.
            if (!core.cookieChecker.checkMac2(msg, source, sender.getPort(), now)) {
                drops.count(Drop.COOKIE_REQUIRED, now);
                if (cookieReplies.allow(source, now)) {
                    outbound.sendCookieReply(core.cookieChecker.createReply(msg, source, sender.getPort(), now).encode(), sender, now);
                }
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
        peer.sessionEstablished();
        Log.info(peer + ": handshake complete, session established");
    }
}
