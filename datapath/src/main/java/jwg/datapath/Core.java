package jwg.datapath;

import io.netty.buffer.PooledByteBufAllocator;
import io.netty.util.concurrent.EventExecutor;
import java.io.IOException;
import java.security.SecureRandom;
import java.util.SplittableRandom;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import jwg.datapath.allowedips.AllowedIps;
import jwg.datapath.udp.Bind;
import jwg.noise.IndexMap;
import jwg.noise.cookie.CookieChecker;
import jwg.noise.handshake.Handshake;

/**
 * What the parts of a {@link Device} share, as wireguard-go's Device struct: the interface as the
 * datapath sees it (MTU, up or down, the UDP socket in use), the local identity, the peers (by
 * public key, by local index, by allowed IP), the drop counters. Every part reads and changes it
 * on the event loop (see the package documentation).
 */
final class Core {
    /** The event loop (in tests, the test's thread). */
    final EventExecutor loop;
    final Clock clock;
    /** The interface's name, for the log. */
    final String name;
    final PooledByteBufAllocator alloc = PooledByteBufAllocator.DEFAULT;
    final SecureRandom random = new SecureRandom();
    /** The retry jitter of every peer's timers (whitepaper 6.1: it need not be secret), seeded securely; one for all, on the loop. */
    final SplittableRandom jitter = new SplittableRandom(random.nextLong());
    final Drops drops = new Drops();
    final CompletableFuture<String> stopped = new CompletableFuture<>();

    /** By public key, in the order the peers were added (the order `get` lists them, as the kernel). */
    private final Map<PublicKey, Peer> peers = new LinkedHashMap<>();
    /** The owner of each local index: a keypair's or a handshake's (whitepaper 5.4.2). */
    final IndexMap<Peer> indices = new IndexMap<>();
    /** Cryptokey routing (whitepaper 2). */
    final AllowedIps<Peer> allowedIps = new AllowedIps<>();

    /** The interface's MTU, followed as it changes. */
    int mtu;
    /**
     * Whether the interface is up (IFF_UP), followed as it changes. While it is down nothing is
     * received or sent and no timer runs, as the kernel's socket is closed and its timers are not
     * armed then; going down drops every session (the kernel's wg_stop).
     */
    boolean linkUp;
    /** The UDP socket in use: set by {@link #useSocket}. */
    Bind udp;
    /**
     * The port of {@link #udp}, for {@link Device#listenPort}, which any thread may call without
     * handing the loop a task: the one field of the device's state read off the loop.
     */
    volatile int listenPort;

    // The identity: all null while the device has no private key (no handshakes are made or accepted).
    byte[] privateKey;
    Handshake noise;
    CookieChecker cookieChecker;

    /** Cookie replies sent (whitepaper 5.4.7), for the metrics. */
    long cookieRepliesSent;

    private long internalErrorReported;

    /** The key of the peers map: a public key compared by content. */
    private record PublicKey(byte[] key) {
        @Override public boolean equals(Object o) { return o instanceof PublicKey p && Arrays.equals(p.key, key); }
        @Override public int hashCode() { return Arrays.hashCode(key); }
    }

    Core(EventExecutor loop, Clock clock, String name, int mtu) {
        this.loop = loop;
        this.clock = clock;
        this.name = name;
        this.mtu = mtu;
    }

    // ---- peers ----

    /** The peer with this public key, or null. */
    Peer peer(byte[] publicKey) {
        return peers.get(new PublicKey(publicKey));
    }

    /** Every peer, in the order they were added. */
    Collection<Peer> peers() {
        return peers.values();
    }

    void addPeer(Peer peer) {
        peers.put(new PublicKey(peer.publicKey), peer);
    }

    /** Removes the peer with its allowed IPs, and wipes it. */
    void removePeer(Peer p) {
        peers.remove(new PublicKey(p.publicKey));
        allowedIps.removePeer(p);
        p.close();
        if (Log.isDebug()) Log.debug(p + " removed");
    }

    /** From now on the device sends and receives through udp (start, and configure's rebinding). */
    void useSocket(Bind udp) {
        this.udp = udp;
        this.listenPort = udp.port();
    }

    // ---- the identity ----

    /** Forgets the private key (wiped) and what was made from it. */
    void wipeIdentity() {
        if (privateKey == null) return;
        Arrays.fill(privateKey, (byte) 0);
        if (noise != null) noise.identity().wipe(); // null when the change that set the key failed before it made one
        privateKey = null;
        noise = null;
        cookieChecker = null;
    }

    // ---- the loop ----

    /** A bug met while handling one packet or timer: counted and reported (rate-limited), never fatal to the loop. */
    void internalError(Throwable e) {
        long now = clock.nanoTime();
        drops.count(Drop.INTERNAL_ERROR, now);
        if (internalErrorReported == 0 || now - internalErrorReported > Limits.DROP_REPORT_INTERVAL_NANOS) {
            internalErrorReported = now | 1;
            Log.info("internal error (a bug; please report it): " + e);
        }
    }

    /** Runs task on the loop and waits for it (at once when called on the loop). */
    <T> T onLoop(Callable<T> task) throws InterruptedException, ExecutionException {
        if (loop.inEventLoop()) {
            try {
                return task.call();
            } catch (Exception e) {
                throw new ExecutionException(e);
            }
        }
        return loop.submit(task).get();
    }

    /** {@link #onLoop}, what it throws made an IOException (or the task's RuntimeException). */
    <T> T onLoopUnchecked(Callable<T> task) throws IOException {
        try {
            return onLoop(task);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) throw io;
            if (e.getCause() instanceof RuntimeException re) throw re;
            throw new IOException(e.getCause());
        } catch (RejectedExecutionException e) {
            throw new IOException(name + " is closed", e);
        }
    }
}
