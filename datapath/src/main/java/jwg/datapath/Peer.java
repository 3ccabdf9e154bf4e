package jwg.datapath;

import io.netty.buffer.ByteBuf;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.function.Function;
import jwg.noise.IndexMap;
import jwg.noise.cookie.CookieGenerator;
import jwg.noise.handshake.Handshake;
import jwg.noise.handshake.PeerHandshake;
import jwg.noise.keys.Keypairs;
import jwg.noise.timers.PeerTimers;

/**
 * One peer of the device: its handshake state, keypairs, timers, cookie state, endpoint, the
 * packets waiting for a session, and its counters. Confined to the device's event loop (see the
 * package documentation).
 */
final class Peer {
    final byte[] publicKey;
    final CookieGenerator cookies;
    final Keypairs keypairs = new Keypairs();
    final PeerTimers timers;
    /** Grows when packets wait; most peers never stage one (the default capacity would be 88 bytes a peer). */
    final ArrayDeque<ByteBuf> staged = new ArrayDeque<>(1);
    private final IndexMap<Peer> indices;
    private final byte[] presharedKey = new byte[Keys.LENGTH];
    /** Null while the device has no private key: then no handshake is made or accepted. */
    private PeerHandshake handshake;

    InetSocketAddress endpoint;
    int persistentKeepalive;
    long rxBytes;
    long txBytes;
    /** Wall-clock time of the last completed handshake, epoch nanoseconds; 0 if none. */
    long lastHandshakeEpochNanos;
    /** Handshake initiations sent to the peer, first attempts and retries (for the metrics). */
    long handshakeAttempts;
    /** Of those, the ones no session came of: retried, given up on, or dropped with the sessions (for the metrics). */
    long handshakeFailures;
    /** No session has come of the last initiation sent yet: it failed if the next one goes out first, or it is given up. */
    private boolean awaitingSession;

    /**
     * A peer without a preshared key whose local indices are claimed in indices; noise may be null
     * (no private key). timers makes its timers, whose alarm knows the peer ({@link Timers#timersFor}).
     */
    Peer(byte[] publicKey, Handshake noise, IndexMap<Peer> indices, Function<Peer, PeerTimers> timers) {
        this.publicKey = publicKey.clone();
        this.indices = indices;
        this.cookies = new CookieGenerator(publicKey);
        this.timers = timers.apply(this);
        setIdentity(noise);
    }

    /** The handshake state, or null while the device has no private key. */
    PeerHandshake handshake() {
        return handshake;
    }

    /**
     * The device's private key changed (noise null: it has none now). Sessions and the handshake in
     * progress belong to the old identity and are dropped; the static-static DH is computed anew;
     * a handshake may be initiated at once (what was sent was with the old key).
     */
    void setIdentity(Handshake noise) {
        clearSessions();
        timers.forgetSentHandshakes();
        PeerHandshake old = handshake;
        handshake = noise == null ? null : noise.newPeer(publicKey, presharedKey, indices.viewFor(this));
        if (old != null) {
            if (handshake != null) handshake.inheritReplayState(old); // a replayed initiation stays refused
            old.destroy(); // its static-static DH belongs to the old key
        }
    }

    /** Whitepaper 5.4: Q, mixed in at the next handshake; all zeros means none. */
    void setPresharedKey(byte[] psk) {
        System.arraycopy(psk, 0, presharedKey, 0, Keys.LENGTH);
        if (handshake != null) handshake.setPresharedKey(psk);
    }

    byte[] presharedKey() {
        return presharedKey.clone();
    }

    /**
     * The after-receive step, for every authenticated message from the peer (a handshake message
     * it consumed, a transport message that opened and was not a replay), in PeerTimers' order:
     * the peer roams to the message's source (whitepaper 2.1), its bytes are counted, its timers
     * told.
     */
    void received(InetSocketAddress sender, int bytes, long now) {
        if (sender != endpoint) endpoint = sender; // the socket's reader hands on one object per source
        rxBytes += bytes;
        timers.anyAuthenticatedPacketReceived();
        timers.anyAuthenticatedPacketTraversal(now);
    }

    /** An initiation was sent: the one before it, if no session came of it, failed. */
    void initiationSent() {
        initiationUnanswered();
        handshakeAttempts++;
        awaitingSession = true;
    }

    /** The initiation sent last is no longer waited for (retried, given up, or its handshake dropped): failed, unless a session came of it. */
    void initiationUnanswered() {
        if (awaitingSession) handshakeFailures++;
        awaitingSession = false;
    }

    /** A session was established, by our initiation or by the peer's: the initiation sent last did not fail. */
    void sessionEstablished() {
        awaitingSession = false;
    }

    /** Drops the keypairs and the handshake in progress. */
    void clearSessions() {
        initiationUnanswered();
        keypairs.clear();
        if (handshake != null) handshake.clear();
    }

    /**
     * The peer is removed: stops its timers (which takes it out of the timer wheel), drops its
     * packets and sessions, and wipes its preshared key and the static-static DH (as the kernel
     * zeroes a removed peer).
     */
    void close() {
        timers.stop();
        dropStaged();
        clearSessions();
        if (handshake != null) handshake.destroy();
        Arrays.fill(presharedKey, (byte) 0);
    }

    /** Drops the waiting packets; returns how many. */
    int dropStaged() {
        int n = staged.size();
        ByteBuf b;
        while ((b = staged.poll()) != null) b.release();
        return n;
    }

    @Override public String toString() {
        return Log.peerName(publicKey); // for the log only: not kept per peer
    }
}
