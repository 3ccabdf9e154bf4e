package jwg.datapath;

import io.netty.buffer.ByteBuf;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import jwg.noise.IndexMap;
import jwg.noise.cookie.CookieGenerator;
import jwg.noise.handshake.Handshake;
import jwg.noise.handshake.PeerHandshake;
import jwg.noise.keys.Keypairs;
import jwg.noise.timers.PeerTimers;

/**
 * One peer of the device: its handshake state, keypairs, timers, cookie state, endpoint, the
 * packets waiting for a session, and its counters. Owned by the device's event loop thread: every
 * field is read and written there, except the few marked volatile, which the configuration
 * interface reads from other threads.
 */
final class Peer {
    /** Packets kept while a handshake is under way (wireguard-go's QueueStagedSize). */
    static final int MAX_STAGED = 128;

    final byte[] publicKey;
    final String name;
    final PeerHandshake handshake;
    final CookieGenerator cookies;
    final Keypairs keypairs = new Keypairs();
    final PeerTimers timers;
    final ArrayDeque<ByteBuf> staged = new ArrayDeque<>();

    volatile InetSocketAddress endpoint;
    volatile int persistentKeepalive;
    volatile long rxBytes;
    volatile long txBytes;
    /** Wall-clock time of the last completed handshake, epoch nanoseconds; 0 if none. */
    volatile long lastHandshakeEpochNanos;

    /** A peer whose local indices are claimed in indices, owned by this peer. */
    Peer(byte[] publicKey, byte[] presharedKey, Handshake noise, IndexMap<Peer> indices, PeerTimers timers) {
        this.publicKey = publicKey.clone();
        this.name = Log.peerName(publicKey);
        this.handshake = noise.newPeer(this.publicKey, presharedKey, indices.viewFor(this));
        this.cookies = new CookieGenerator(publicKey);
        this.timers = timers;
    }

    /** Drops the waiting packets; returns how many. */
    int dropStaged() {
        int n = staged.size();
        ByteBuf b;
        while ((b = staged.poll()) != null) b.release();
        return n;
    }

    @Override public String toString() {
        return name;
    }
}
