package jwg.datapath;

import io.netty.buffer.PooledByteBufAllocatorMetric;
import jwg.net.IpPrefix;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.locks.ReentrantLock;
import jwg.crypto.X25519;
import jwg.datapath.allowedips.AllowedIps;
import jwg.datapath.udp.Bind;
import jwg.noise.cookie.CookieChecker;
import jwg.noise.handshake.Handshake;
import jwg.noise.handshake.StaticIdentity;
import jwg.sys.ErrnoException;

/**
 * The device's configuration (wireguard-go's uapi.go and device.go setters): {@link #configure}
 * applies a {@link DeviceUpdate} whole or not at all, rebinding the UDP port first if it changes;
 * {@link #state} takes the snapshot `get` reports. Called from any thread but the loop: what they
 * read and change, they read and change in tasks on the loop; a configure takes several of them
 * (the current socket, the new socket's bind, the change), so configure calls hold a lock that
 * keeps them from interleaving.
 */
final class Configuration {
    private final Core core;
    private final Outbound outbound;
    private final Timers timers;
    private final Binder binder;
    private final PeerCapacity capacity;
    /**
     * Serializes {@link #configure} calls (each UAPI connection has a thread; the CLI has its own):
     * each reads the socket, binds a new one and applies, in separate tasks on the loop. Never
     * taken on the loop.
     */
    private final ReentrantLock configuring = new ReentrantLock();
    /** The SO_MARK of the UDP socket (unsigned); on the loop. */
    private int fwmark;

    /** What configure needs to know of the socket in use. */
    private record Socket(int port, int mark) {}

    /** Makes the device's UDP sockets: {@link UdpBinder}'s on the loop; in tests, memory. */
    interface Binder {
        /** A socket on port (0: any) with SO_MARK mark (0: none); SocketSetupException if that is refused. */
        Bind bind(int port, int mark) throws IOException;
    }

    Configuration(Core core, Outbound outbound, Timers timers, Binder binder, PeerCapacity capacity) {
        this.core = core;
        this.outbound = outbound;
        this.timers = timers;
        this.binder = binder;
        this.capacity = capacity;
    }

    /**
     * Applies update whole or not at all. The only steps that can fail come first: binding the new
     * listen port (the new socket is bound before the old one is closed) or setting SO_MARK on the
     * current socket; then everything else is applied in one task on the loop. Semantics are those
     * of the kernel and wireguard-go's device/uapi.go, in the order of the update.
     *
     * @throws SocketSetupException if the port is in use or the mark refused; nothing changed
     * @throws CapacityException if the peers and allowed IPs would not fit in the heap; nothing changed
     */
    void configure(DeviceUpdate update) throws IOException {
        configuring.lock();
        try {
            Socket now = core.onLoopUnchecked(() -> new Socket(core.udp.port(), fwmark));
            int mark = update.fwmark().orElse(now.mark());
            Bind fresh = null;
            if (update.listenPort().isPresent() && update.listenPort().getAsInt() != now.port()) {
                fresh = binder.bind(update.listenPort().getAsInt(), mark);
            } else if (mark != now.mark()) {
                core.onLoopUnchecked(() -> {
                    try {
                        core.udp.setMark(mark); // SO_MARK 0 removes the mark
                    } catch (ErrnoException e) {
                        throw new SocketSetupException("cannot set fwmark: " + e.getMessage(), e);
                    }
                    return null;
                });
            }
            Bind bound = fresh;
            try {
                core.onLoopUnchecked(() -> {
                    apply(update, bound, mark);
                    return null;
                });
            } catch (IOException | RuntimeException e) {
                if (bound != null) closeUnlessInUse(bound);
                throw e;
            }
        } finally {
            configuring.unlock();
        }
    }

    /** A snapshot of the configuration and counters, for the configuration protocol's `get`. */
    DeviceState state() throws IOException {
        return core.onLoopUnchecked(() -> {
            List<PeerState> out = new ArrayList<>(core.peers().size());
            for (Peer p : core.peers()) {
                // Each peer's own list, in its order: not a walk of the whole table per peer.
                // Plain loops: this runs once per `get`, so mostly interpreted, where streams cost most.
                List<IpPrefix> ips = core.allowedIps.prefixesOf(p); // PeerState copies the list; the prefixes are values
                out.add(new PeerState(p.publicKey.clone(), p.presharedKey(), Optional.ofNullable(p.endpoint),
                        p.lastHandshakeEpochNanos, p.rxBytes, p.txBytes, p.persistentKeepalive, ips));
            }
            return new DeviceState(Optional.ofNullable(core.privateKey).map(byte[]::clone), core.udp.port(), fwmark, out);
        });
    }

    /**
     * The peers' counters for a metrics scrape, with the device's own (offloads is what is on
     * besides the UDP socket's, which can change: GSO goes off when the kernel refuses it).
     */
    DeviceStats stats(Map<String, Boolean> tunOffloads) throws IOException {
        return core.onLoopUnchecked(() -> {
            List<PeerStats> out = new ArrayList<>(core.peers().size());
            for (Peer p : core.peers()) {
                out.add(new PeerStats(p.publicKey.clone(), Optional.ofNullable(p.endpoint), p.lastHandshakeEpochNanos,
                        p.rxBytes, p.txBytes, p.handshakeAttempts, p.handshakeFailures, core.allowedIps.prefixesOf(p)));
            }
            Map<String, Boolean> offloads = new LinkedHashMap<>(tunOffloads);
            offloads.put("udp_gso", core.udp.gso());
            offloads.put("udp_gro", core.udp.gro());
            PooledByteBufAllocatorMetric pool = core.alloc.metric();
            return new DeviceStats(out, core.cookieRepliesSent, offloads, pool.usedDirectMemory(), pool.usedHeapMemory());
        });
    }

    /**
     * Closes a socket bound for an update that failed, unless the update got as far as using it:
     * decided on the loop, after the update's task (which may still be queued if this thread was
     * interrupted while waiting for it).
     */
    private void closeUnlessInUse(Bind bound) {
        try {
            core.loop.execute(() -> {
                if (core.udp != bound) bound.close();
            });
        } catch (RejectedExecutionException e) {
            bound.close(); // the device is closed
        }
    }

    // ---- on the loop ----

    private void apply(DeviceUpdate update, Bind fresh, int mark) throws CapacityException {
        checkCapacity(update);
        if (fresh != null) {
            Bind old = core.udp;
            core.useSocket(fresh);
            old.close();
            Log.info("listening on UDP port " + fresh.port());
        }
        fwmark = mark;
        update.privateKey().ifPresent(this::setPrivateKey);
        if (update.replacePeers()) {
            for (Peer p : new ArrayList<>(core.peers())) core.removePeer(p);
        }
        long now = core.clock.nanoTime();
        for (PeerUpdate u : update.peers()) applyPeer(u, now);
    }

    /**
     * Refuses an update whose peers and allowed IPs might not fit, before it changes anything:
     * counted from what is kept, plus what it adds, less what it removes or replaces. An upper
     * bound: an allowed IP given to a peer that another peer owned counts for both.
     */
    private void checkCapacity(DeviceUpdate update) throws CapacityException {
        boolean replace = update.replacePeers();
        long peers = replace ? 0 : core.peers().size();
        long ips = replace ? 0 : core.allowedIps.size();
        Set<Peer> emptied = Collections.newSetFromMap(new IdentityHashMap<>()); // each existing peer's IPs subtracted once
        for (PeerUpdate u : update.peers()) {
            Peer existing = replace ? null : core.peer(u.publicKey());
            if (existing == null) {
                if (u.remove() || u.updateOnly()) continue; // nothing happens
                peers++;
            } else if ((u.remove() || u.replaceAllowedIps()) && emptied.add(existing)) {
                ips -= core.allowedIps.countOf(existing);
                if (u.remove()) peers--;
            }
            if (!u.remove()) ips += u.allowedIps().size();
        }
        capacity.check(peers, ips);
    }

    /**
     * As wireguard-go's SetPrivateKey: the key is kept clamped (RFC 7748), as its NoisePrivateKey is,
     * so `get` reports it clamped as wireguard-go and the kernel do; the same key, clamped or not,
     * changes nothing (wg syncconf sends it every time; the kernel compares it as given, so there an
     * unclamped key set again drops the sessions); otherwise a peer with the new public key is
     * removed, and every peer's sessions and handshake are dropped and its static-static DH
     * recomputed. All zeros: no private key, no handshakes.
     */
    private void setPrivateKey(byte[] key) {
        boolean none = Keys.isZero(key);
        byte[] clamped = key.clone();
        if (!none) X25519.clamp(clamped);
        if (none ? core.privateKey == null : Arrays.equals(clamped, core.privateKey)) {
            Arrays.fill(clamped, (byte) 0);
            return;
        }
        core.wipeIdentity();
        if (!none) {
            core.privateKey = clamped;
            StaticIdentity identity = StaticIdentity.of(clamped);
            core.noise = new Handshake(identity, core.random);
            core.cookieChecker = new CookieChecker(identity, core.random);
            for (Peer p : new ArrayList<>(core.peers())) {
                if (identity.hasPublicKey(p.publicKey)) core.removePeer(p);
            }
        }
        for (Peer p : core.peers()) p.setIdentity(core.noise);
        Log.info(none ? "private key removed: no handshakes until one is set" : "private key set");
    }

    private void applyPeer(PeerUpdate u, long now) {
        Handshake noise = core.noise;
        if (noise != null && noise.identity().hasPublicKey(u.publicKey())) return; // the kernel and wireguard-go ignore it
        Peer peer = core.peer(u.publicKey());
        if (u.remove()) {
            if (peer != null) core.removePeer(peer);
            return;
        }
        if (peer == null) {
            if (u.updateOnly()) return;
            peer = new Peer(u.publicKey(), noise, core.indices, timers::timersFor);
            core.addPeer(peer);
            if (Log.isDebug()) Log.debug(peer + " added");
        }
        u.presharedKey().ifPresent(peer::setPresharedKey);
        if (u.endpoint().isPresent()) peer.endpoint = u.endpoint().get();
        if (u.persistentKeepalive().isPresent()) {
            // Turning it on makes a keepalive due at once (wireguard-go's pkaOn); the next tick (within
            // TICK_NANOS) sends it, or a handshake initiation if there is no session yet.
            peer.persistentKeepalive = u.persistentKeepalive().getAsInt();
            peer.timers.setPersistentKeepaliveInterval(peer.persistentKeepalive, now);
        }
        if (u.replaceAllowedIps()) core.allowedIps.removePeer(peer);
        for (AllowedIpChange c : u.allowedIps()) {
            IpPrefix a = c.prefix();
            if (c.remove()) core.allowedIps.remove(a.address(), a.length(), peer);
            else core.allowedIps.insert(a.address(), a.length(), peer); // taken from any other peer
        }
        if (Log.isDebug()) Log.debug(peer + " configured: " + u); // not made per peer unless logged: 10,000 peers in one set
        outbound.sendStaged(peer, now);
    }
}
