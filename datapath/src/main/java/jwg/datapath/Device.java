package jwg.datapath;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.IoEventLoop;
import io.netty.channel.IoRegistration;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.unix.Errors;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import jwg.crypto.PacketAead;
import jwg.crypto.X25519;
import jwg.datapath.allowedips.AllowedIps;
import jwg.datapath.ip.IpPacket;
import jwg.datapath.offload.VirtioNetHdr;
import jwg.datapath.tun.LinkWatch;
import jwg.datapath.tun.TunHandle;
import jwg.datapath.udp.UdpTransport;
import jwg.noise.CookieReply;
import jwg.noise.DropReason;
import jwg.noise.IndexMap;
import jwg.noise.Initiation;
import jwg.noise.MessageType;
import jwg.noise.Messages;
import jwg.noise.Protocol;
import jwg.noise.Response;
import jwg.noise.Result;
import jwg.noise.Transport;
import jwg.noise.cookie.CookieChecker;
import jwg.noise.handshake.Handshake;
import jwg.noise.handshake.PeerHandshake;
import jwg.noise.handshake.Responded;
import jwg.noise.handshake.StaticIdentity;
import jwg.noise.keys.Keypair;
import jwg.noise.ratelimiter.RateLimiter;
import jwg.noise.timers.PeerTimers;
import jwg.noise.timers.TimerAction;
import jwg.sys.Errno;
import jwg.sys.ErrnoException;
import jwg.sys.Libc;
import jwg.sys.LibcConstants;
import jwg.tun.TunDevice;
import jwg.tun.TunOffload;
import jwg.tun.TunOptions;

/**
 * A WireGuard interface: the TUN device, the UDP socket, the peers and their cryptokey routing.
 *
 * <p>One Netty epoll event loop owns everything: it reads the TUN and the UDP socket, runs the
 * handshakes and the per-peer timers, and (in this version) encrypts and decrypts inline. All peer
 * state is therefore confined to that thread; configuration and snapshots from other threads are
 * handed to it as tasks and waited for.
 *
 * <p>A device starts without a private key and without peers, listening on a random port, as
 * wireguard-go does; {@link #configure} then changes it atomically.
 */
public final class Device implements AutoCloseable {
    private static final int HEADROOM = SegmentSealer.HEADROOM;
    private static final int TAILROOM = SegmentSealer.TAILROOM;

    private final TunDevice tun;
    /** The interface's MTU, followed as it changes (loop-confined). */
    private int mtu;
    /**
     * Whether the interface is up (IFF_UP), followed as it changes (loop-confined). While it is
     * down nothing is received or sent and no timer runs, as the kernel's socket is closed and its
     * timers are not armed then; going down drops every session (the kernel's wg_stop).
     */
    private boolean linkUp;
    private final MultiThreadIoEventLoopGroup group;
    private final IoEventLoop loop;
    private final ByteBufAllocator alloc = PooledByteBufAllocator.DEFAULT;
    private final SecureRandom random = new SecureRandom();
    private final RateLimiter rateLimiter;
    private final IndexMap<Peer> indices = new IndexMap<>();
    /** By public key, in the order the peers were added (the order `get` lists them, as the kernel). */
    private final Map<PublicKey, Peer> peers = new LinkedHashMap<>();
    private final AllowedIps<Peer> allowedIps = new AllowedIps<>();
    private final PacketAead aead = new PacketAead();
    private final Drops drops = new Drops();
    private final CompletableFuture<String> stopped = new CompletableFuture<>();
    /** Serializes {@link #configure} calls: each binds (off the loop) and then applies (on it). */
    private final ReentrantLock configuring = new ReentrantLock();
    private final UdpReceiver udpReceiver = new UdpReceiver();
    private final UdpTransport.Options udpOptions;
    private final SegmentSealer sealer;
    private final SendBatch batch = new SendBatch(alloc);

    // The identity: all null while the device has no private key (no handshakes are made or accepted).
    private byte[] privateKey;
    private Handshake noise;
    private CookieChecker cookieChecker;

    /** Replaced on the loop while {@link #configuring} is held; read there, and by configure under the lock. */
    private volatile UdpTransport udp;
    /** The SO_MARK of the UDP socket (unsigned), changed like {@link #udp}. */
    private volatile int fwmark;
    private TunHandle tunHandle;
    private TunWriter tunWriter;
    private LinkWatch linkWatch;

    private long internalErrorReported;
    private long loadWindowStart;
    private int loadWindowCount;
    private boolean underLoad;
    private long underLoadUntil;

    /** The key of the peers map: a public key compared by content. */
    private record PublicKey(byte[] key) {
        @Override public boolean equals(Object o) { return o instanceof PublicKey p && Arrays.equals(p.key, key); }
        @Override public int hashCode() { return Arrays.hashCode(key); }
    }

    private Device(TunDevice tun, int mtu, Offloads offloads) {
        this.tun = tun;
        this.mtu = mtu;
        this.udpOptions = new UdpTransport.Options(offloads.udpGso(), offloads.udpGro());
        this.sealer = new SegmentSealer(aead);
        this.rateLimiter = new RateLimiter(random.nextLong());
        this.group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        this.loop = (IoEventLoop) group.next();
    }

    /**
     * Starts a device on an opened TUN whose MTU is mtu, without a private key or peers, listening
     * on a random UDP port. Call it from a thread in the TUN's network namespace: the event loop
     * thread is started from it, and every UDP socket of the device is made on that thread.
     */
    public static Device start(TunDevice tun, int mtu) throws IOException {
        return start(tun, mtu, Offloads.fromSystemProperties());
    }

    /**
     * As {@link #start(TunDevice, int)}, with the UDP offloads of offloads (the TUN's come from how
     * it was opened: with IFF_VNET_HDR, see {@link #openTun}).
     */
    public static Device start(TunDevice tun, int mtu, Offloads offloads) throws IOException {
        Log.info("ChaCha20-Poly1305: " + PacketAead.backend() + " (" + PacketAead.backendReason() + ")");
        Device d = new Device(tun, mtu, offloads);
        try {
            d.udp = d.bindUdp(0, 0);
            int tunFlags = tun.enableOffloads((f, e) -> Log.debug("TUN refuses offloads " + TunOffload.describe(f) + ": " + e.getMessage()));
            boolean tcpGro = tun.vnetHdr();
            boolean udpGro = tcpGro && tunFlags == TunOffload.WITH_USO;
            String tunOffloads = !tcpGro ? "offloads off"
                    : TunOffload.describe(tunFlags) + (udpGro ? ", TCP and UDP" : ", TCP") + " coalescing on writes";
            Log.info("offloads: TUN " + tunOffloads + ", UDP GSO " + (d.udp.gso() ? "on" : "off")
                    + ", UDP GRO " + (d.udp.gro() ? "on" : "off"));
            d.tunHandle = new TunHandle(tun.queue(0), tun.vnetHdr(), d.alloc, d.new TunReader());
            d.tunWriter = new TunWriter(d.tunHandle, tun.name(), d.drops, d.alloc, tcpGro, udpGro);
            IoRegistration reg = d.loop.register(d.tunHandle).get();
            d.onLoop(() -> {
                d.tunHandle.start(reg);
                return null;
            });
            d.linkWatch = LinkWatch.open(d.loop, tun, d.new LinkEvents());
            d.loop.scheduleAtFixedRate(d::tick, Limits.TICK_NANOS, Limits.TICK_NANOS, TimeUnit.NANOSECONDS);
            return d;
        } catch (IOException | RuntimeException e) {
            d.close();
            throw e;
        } catch (InterruptedException | ExecutionException e) {
            d.close();
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            throw new IOException("cannot start " + tun.name() + ": " + cause.getMessage(), cause);
        }
    }

    /** Opens the TUN named name, with IFF_VNET_HDR unless offloads.tun() is off. */
    public static TunDevice openTun(String name, Offloads offloads) throws ErrnoException {
        return TunDevice.open(TunOptions.named(name).vnetHdr(offloads.tun()));
    }

    /** A UDP socket on port (0: any) with SO_MARK mark (0: none), made on the loop; throws if that fails. */
    private UdpTransport bindUdp(int port, int mark) throws IOException {
        try {
            return UdpTransport.bind(loop, port, udpOptions, udpReceiver, fd -> {
                if (mark != 0) setMark(fd, mark);
            }).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() instanceof IllegalStateException ise && ise.getCause() != null ? ise.getCause() : e.getCause();
            throw new SocketSetupException("cannot listen on UDP port " + port + ": " + cause.getMessage(), cause);
        }
    }

    private static void setMark(int fd, int mark) {
        int r = Libc.setsockoptInt(fd, LibcConstants.SOL_SOCKET, LibcConstants.SO_MARK, mark);
        if (r < 0) throw new IllegalStateException(new ErrnoException("setsockopt(SO_MARK, " + Integer.toUnsignedString(mark) + ")", -r));
    }

    public String name() { return tun.name(); }

    /** The UDP port the device listens on. */
    public int listenPort() { return udp.port(); }

    public Drops drops() { return drops; }

    /** Completes with the reason when the device stops by itself (e.g. its interface was deleted). */
    public CompletableFuture<String> stopped() { return stopped; }

    // ---- configuration (any thread) ----

    /**
     * Applies update whole or not at all. The only steps that can fail come first: binding the new
     * listen port (the new socket is bound before the old one is closed) or setting SO_MARK on the
     * current socket; then everything else is applied in one task on the loop. Semantics are those
     * of the kernel and wireguard-go's device/uapi.go, in the order of the update.
     *
     * @throws SocketSetupException if the port is in use or the mark refused; nothing changed
     */
    public void configure(DeviceUpdate update) throws IOException {
        configuring.lock();
        try {
            int mark = update.fwmark().orElse(fwmark);
            UdpTransport fresh = null;
            if (update.listenPort().isPresent() && update.listenPort().getAsInt() != udp.port()) {
                fresh = bindUdp(update.listenPort().getAsInt(), mark);
            } else if (mark != fwmark) {
                try {
                    setMark(udp.fd(), mark); // SO_MARK 0 removes the mark
                } catch (IllegalStateException e) {
                    throw new SocketSetupException("cannot set fwmark: " + e.getCause().getMessage(), e.getCause());
                }
            }
            UdpTransport bound = fresh;
            try {
                onLoopUnchecked(() -> {
                    apply(update, bound, mark);
                    return null;
                });
            } catch (IOException | RuntimeException e) {
                if (bound != null && udp != bound) bound.close();
                throw e;
            }
        } finally {
            configuring.unlock();
        }
    }

    /** A snapshot of the configuration and counters, for the configuration protocol's `get`. */
    public DeviceState state() throws IOException {
        return onLoopUnchecked(() -> {
            List<PeerState> out = new ArrayList<>(peers.size());
            for (Peer p : peers.values()) {
                // Each peer's own list, in its order: not a walk of the whole table per peer.
                List<AllowedIp> ips = allowedIps.prefixesOf(p).stream().map(x -> new AllowedIp(x.address(), x.bits())).toList();
                out.add(new PeerState(p.publicKey.clone(), p.presharedKey(), Optional.ofNullable(p.endpoint),
                        p.lastHandshakeEpochNanos, p.rxBytes, p.txBytes, p.persistentKeepalive, ips));
            }
            return new DeviceState(Optional.ofNullable(privateKey).map(byte[]::clone), udp.port(), fwmark, out);
        });
    }

    private void apply(DeviceUpdate update, UdpTransport fresh, int mark) {
        if (fresh != null) {
            UdpTransport old = udp;
            udp = fresh;
            old.close();
            Log.info("listening on UDP port " + fresh.port());
        }
        fwmark = mark;
        update.privateKey().ifPresent(this::setPrivateKey);
        if (update.replacePeers()) {
            for (Peer p : new ArrayList<>(peers.values())) removePeer(p);
        }
        long now = System.nanoTime();
        for (PeerUpdate u : update.peers()) applyPeer(u, now);
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
        if (none ? privateKey == null : Arrays.equals(clamped, privateKey)) {
            Arrays.fill(clamped, (byte) 0);
            return;
        }
        wipeIdentity();
        if (!none) {
            privateKey = clamped;
            StaticIdentity identity = StaticIdentity.of(clamped);
            noise = new Handshake(identity, random);
            cookieChecker = new CookieChecker(identity, random);
            for (Peer p : new ArrayList<>(peers.values())) {
                if (identity.hasPublicKey(p.publicKey)) removePeer(p);
            }
        }
        for (Peer p : peers.values()) p.setIdentity(noise);
        Log.info(none ? "private key removed: no handshakes until one is set" : "private key set");
    }

    private void wipeIdentity() {
        if (privateKey == null) return;
        Arrays.fill(privateKey, (byte) 0);
        noise.identity().wipe();
        privateKey = null;
        noise = null;
        cookieChecker = null;
    }

    private void applyPeer(PeerUpdate u, long now) {
        if (noise != null && noise.identity().hasPublicKey(u.publicKey())) return; // the kernel and wireguard-go ignore it
        Peer peer = peers.get(new PublicKey(u.publicKey()));
        if (u.remove()) {
            if (peer != null) removePeer(peer);
            return;
        }
        if (peer == null) {
            if (u.updateOnly()) return;
            // Retry jitter need not be secret (whitepaper 6.1): a cheap generator, seeded securely.
            peer = new Peer(u.publicKey(), noise, indices, new PeerTimers(new SplittableRandom(random.nextLong())));
            peers.put(new PublicKey(peer.publicKey), peer);
            Log.debug(peer + " added");
        }
        u.presharedKey().ifPresent(peer::setPresharedKey);
        if (u.endpoint().isPresent()) peer.endpoint = u.endpoint().get();
        if (u.persistentKeepalive().isPresent()) {
            // Turning it on makes a keepalive due at once (wireguard-go's pkaOn); the next tick sends
            // it, or a handshake initiation if there is no session yet.
            peer.persistentKeepalive = u.persistentKeepalive().getAsInt();
            peer.timers.setPersistentKeepaliveInterval(peer.persistentKeepalive, now);
        }
        if (u.replaceAllowedIps()) allowedIps.removePeer(peer);
        for (AllowedIpChange c : u.allowedIps()) {
            AllowedIp a = c.prefix();
            if (c.remove()) allowedIps.remove(a.address(), a.bits(), peer);
            else allowedIps.insert(a.address(), a.bits(), peer); // taken from any other peer
        }
        Log.debug(peer + " configured: " + u);
        sendStaged(peer, now);
    }

    private void removePeer(Peer p) {
        peers.remove(new PublicKey(p.publicKey));
        allowedIps.removePeer(p);
        p.close();
        Log.debug(p + " removed");
    }

    /** The interface's own changes, from rtnetlink, wherever the interface is. */
    private final class LinkEvents implements LinkWatch.Listener {
        @Override public void mtuChanged(int newMtu) {
            if (newMtu == mtu) return;
            mtu = newMtu;
            Log.info(tun.name() + ": MTU " + newMtu);
        }

        @Override public void upChanged(boolean up) {
            if (up == linkUp) return;
            linkUp = up;
            long now = System.nanoTime();
            for (Peer p : peers.values()) {
                if (up) {
                    if (p.persistentKeepalive != 0) sendKeepalive(p, now); // as wg_open and wireguard-go's Up
                } else {
                    p.timers.stop();
                    p.clearSessions();
                    for (int i = p.dropStaged(); i > 0; i--) drops.count(Drop.INTERFACE_DOWN, now);
                }
            }
            udp.flush();
            Log.info(tun.name() + " is " + (up ? "up" : "down" + (peers.isEmpty() ? "" : ": sessions dropped")));
        }

        @Override public void following(int index, String name) {
            Log.info(tun.name() + ": followed into the network namespace it is in now (as " + name + ", index " + index + ")");
        }

        @Override public void removed() {
            stopped.complete("interface " + tun.name() + " was removed");
        }

        @Override public void lost(String why) {
            Log.info(tun.name() + ": its MTU and up/down are no longer followed: " + why);
        }
    }

    // ---- outbound: TUN -> peer ----

    private final class TunReader implements TunHandle.Reader {
        @Override public void packet(ByteBuf buf, int length) {
            try {
                outbound(buf, length, System.nanoTime());
            } catch (RuntimeException e) {
                internalError(e);
            }
        }

        @Override public void burstDone() {
            try {
                flushBatch(System.nanoTime());
            } catch (RuntimeException e) {
                internalError(e);
            }
            udp.flush();
        }

        @Override public void failed(ErrnoException e) {
            stopped.complete("interface " + tun.name() + " is gone (" + e.getMessage() + ")");
        }
    }

    /**
     * A packet from the TUN, [virtio_net_hdr | IP packet] in read[0, len): routed by its destination
     * (whitepaper 2, cryptokey routing), split into segments (one unless it is a TSO/USO
     * super-packet), each in place behind room for its transport header, then sealed and sent in
     * one go, or staged until a session exists.
     */
    private void outbound(ByteBuf read, int len, long now) {
        ByteBuffer in = read.internalNioBuffer(0, len);
        int base = in.position();
        int ip = base + VirtioNetHdr.LENGTH;
        int ipLen = len - VirtioNetHdr.LENGTH;
        int version = IpPacket.version(in, ip, ipLen);
        if (version == 0) {
            drops.count(Drop.NOT_IP, now);
            return;
        }
        Peer peer = allowedIps.lookup(in, IpPacket.destinationOffset(ip, version), version == 4);
        if (peer == null) {
            drops.count(Drop.NO_PEER_FOR_DESTINATION, now);
            return;
        }
        if (peer.endpoint == null) {
            drops.count(Drop.NO_ENDPOINT, now);
            return;
        }
        int stride = SegmentSealer.stride(in, base, len, mtu);
        int count = SegmentSealer.segments(in, base, len);
        if (stride < 0 || count < 1) {
            drops.count(Drop.MALFORMED_OFFLOAD, now);
            return;
        }
        if (count == 1 && peer.staged.isEmpty() && batchOne(peer, in, base, len, stride, now)) return;
        flushBatch(now); // what is pending goes first
        ByteBuf out = alloc.directBuffer(count * stride);
        try {
            ByteBuffer o = out.internalNioBuffer(0, count * stride);
            int n = sealer.split(in, base, len, o, o.position(), stride);
            if (n < 1) {
                drops.count(Drop.MALFORMED_OFFLOAD, now);
                return;
            }
            int sent = 0;
            if (peer.staged.isEmpty()) {
                Keypair kp = usableKeypair(peer, now);
                if (kp != null) {
                    try {
                        sent = sealAndSend(peer, kp, out, o, n, stride, now);
                    } finally {
                        kp.release();
                    }
                }
            }
            for (int i = sent; i < n; i++) {
                int length = sealer.length(i);
                ByteBuf one = alloc.directBuffer(HEADROOM + length + TAILROOM);
                one.setBytes(HEADROOM, out, i * stride + HEADROOM, length);
                one.setIndex(HEADROOM, HEADROOM + length);
                stage(peer, one, now);
            }
            if (sent < n) sendStaged(peer, now);
        } finally {
            out.release();
        }
    }

    /**
     * Seals a single-packet read into the send batch, behind the peer's messages of the same size
     * from this burst (a new batch when it cannot join). False, nothing sent, when the peer has no
     * usable session or the keypair's counters are used up: the caller then stages the packet.
     */
    private boolean batchOne(Peer peer, ByteBuffer in, int base, int len, int stride, long now) {
        InetSocketAddress to = peer.endpoint;
        if (!batch.accepts(peer, to, stride)) flushBatch(now);
        Keypair kp = usableKeypair(peer, now);
        if (kp == null) return false;
        try {
            ByteBuffer o = batch.open(peer, to, stride);
            int at = batch.nextOffset();
            if (sealer.split(in, base, len, o, at, stride) != 1) {
                batch.abandon();
                drops.count(Drop.MALFORMED_OFFLOAD, now);
                return true;
            }
            if (sealer.seal(kp, o, at, 1, stride, mtu) == 0) {
                batch.abandon();
                return false;
            }
            batch.added(); // sealer.length(0) == stride: the stride is this packet's own message length
            peer.timers.anyAuthenticatedPacketTraversal(now);
            peer.timers.anyAuthenticatedPacketSent();
            peer.timers.dataSent(now);
            // Whitepaper 6.2: the initiator rekeys after REKEY_AFTER_TIME, anyone after REKEY_AFTER_MESSAGES.
            if (kp.needsRekeyAfterSend(now)) requestHandshake(peer, now);
            return true;
        } finally {
            kp.release();
        }
    }

    /** Queues the send batch, if any, as one UDP GSO send. */
    private void flushBatch(long now) {
        if (batch.isEmpty()) return;
        Peer peer = batch.peer();
        InetSocketAddress to = batch.to();
        int stride = batch.stride();
        int bytes = batch.bytes();
        if (udp.sendSegments(batch.take(), stride, to)) peer.txBytes += bytes;
        else drops.count(Drop.UDP_BACKLOG, now);
    }

    /**
     * Seals the n segments the sealer split into out (o: its NIO view) and queues them for the
     * peer's endpoint: one UDP GSO send when they are back to back, else one datagram each.
     * Returns how many were sealed and sent: fewer than n once the keypair's counters run out; the
     * caller stages the rest. out stays the caller's.
     */
    private int sealAndSend(Peer peer, Keypair kp, ByteBuf out, ByteBuffer o, int n, int stride, long now) {
        int sealed = sealer.seal(kp, o, o.position(), n, stride, mtu);
        if (sealed == 0) return 0;
        InetSocketAddress to = peer.endpoint;
        boolean queued;
        if (sealer.backToBack()) {
            queued = udp.sendSegments(out.retainedSlice(0, sealer.end()), stride, to);
        } else {
            queued = true;
            for (int i = 0; i < sealed; i++) queued &= udp.send(out.retainedSlice(i * stride, sealer.length(i)), to);
        }
        if (queued) peer.txBytes += sealer.end();
        else drops.count(Drop.UDP_BACKLOG, now);
        peer.timers.anyAuthenticatedPacketTraversal(now);
        peer.timers.anyAuthenticatedPacketSent();
        peer.timers.dataSent(now);
        // Whitepaper 6.2: the initiator rekeys after REKEY_AFTER_TIME, anyone after REKEY_AFTER_MESSAGES.
        if (kp.needsRekeyAfterSend(now)) requestHandshake(peer, now);
        return sealed;
    }

    private void stage(Peer peer, ByteBuf buf, long now) {
        if (peer.staged.size() >= Limits.MAX_STAGED) {
            peer.staged.poll().release();
            drops.count(Drop.STAGED_QUEUE_FULL, now);
        }
        peer.staged.add(buf);
    }

    /** Sends the peer's waiting packets if it has a session, else asks for a handshake. */
    private void sendStaged(Peer peer, long now) {
        if (peer.staged.isEmpty()) return;
        Keypair kp = usableKeypair(peer, now);
        if (kp == null) {
            requestHandshake(peer, now);
            return;
        }
        try {
            ByteBuf b;
            while ((b = peer.staged.poll()) != null) {
                if (!encryptAndSend(peer, kp, b, now)) {
                    peer.staged.addFirst(b);
                    requestHandshake(peer, now);
                    return;
                }
            }
        } finally {
            kp.release();
        }
    }

    /** The current keypair if it may still send (whitepaper 6.1: REJECT_AFTER_TIME), acquired; or null. */
    private static Keypair usableKeypair(Peer peer, long now) {
        Keypair kp = peer.keypairs.acquireCurrent();
        if (kp != null && kp.isExpiredForSending(now)) {
            kp.release();
            return null;
        }
        return kp;
    }

    /**
     * Pads, seals in place and sends the packet at buf[readerIndex, writerIndex) (headroom in front,
     * tailroom behind), taking ownership of buf. False, buf untouched, when the keypair has used up
     * its counters (REJECT_AFTER_MESSAGES).
     */
    private boolean encryptAndSend(Peer peer, Keypair kp, ByteBuf buf, long now) {
        long counter = kp.nextSendCounter();
        if (counter == Keypair.COUNTER_EXHAUSTED) return false;
        InetSocketAddress to = peer.endpoint;
        if (to == null) {
            drop(buf, Drop.NO_ENDPOINT, now);
            return true;
        }
        int n = buf.readableBytes();
        ByteBuffer nio = buf.internalNioBuffer(0, buf.capacity());
        int total = sealer.seal(kp, counter, nio, nio.position(), n, mtu);
        buf.setIndex(0, total);
        if (udp.send(buf, to)) peer.txBytes += total;
        else drops.count(Drop.UDP_BACKLOG, now);
        peer.timers.anyAuthenticatedPacketTraversal(now);
        peer.timers.anyAuthenticatedPacketSent();
        if (n > 0) peer.timers.dataSent(now);
        // Whitepaper 6.2: the initiator rekeys after REKEY_AFTER_TIME, anyone after REKEY_AFTER_MESSAGES.
        if (kp.needsRekeyAfterSend(now)) requestHandshake(peer, now);
        return true;
    }

    private void sendKeepalive(Peer peer, long now) {
        if (!peer.staged.isEmpty()) {
            sendStaged(peer, now); // the waiting packets serve as the keepalive
            return;
        }
        Keypair kp = usableKeypair(peer, now);
        if (kp == null) {
            requestHandshake(peer, now);
            return;
        }
        try {
            ByteBuf b = alloc.directBuffer(HEADROOM + TAILROOM);
            b.setIndex(HEADROOM, HEADROOM);
            if (!encryptAndSend(peer, kp, b, now)) {
                b.release();
                requestHandshake(peer, now);
            }
        } finally {
            kp.release();
        }
    }

    // ---- handshakes ----

    private void requestHandshake(Peer peer, long now) {
        if (peer.timers.requestHandshake(now)) initiate(peer, now);
    }

    /** Sends a handshake initiation (whitepaper 5.4.2), a first attempt or a retry. */
    private void initiate(Peer peer, long now) {
        if (peer.endpoint == null || noise == null) {
            peer.timers.handshakeInitiated(now); // keep the retry and give-up schedule going
            return;
        }
        Result<Initiation> r = noise.createInitiation(peer.handshake(), Instant.now());
        if (!r.isOk()) {
            drops.count(r.dropReason(), now);
            return;
        }
        byte[] msg = r.value().encode();
        peer.cookies.addMacs(msg, now);
        sendHandshakeMessage(peer, msg, now);
        peer.timers.handshakeInitiated(now);
        Log.debug(peer + ": sending handshake initiation");
    }

    private void sendHandshakeMessage(Peer peer, byte[] msg, long now) {
        ByteBuf b = alloc.directBuffer(msg.length).writeBytes(msg);
        if (udp.send(b, peer.endpoint)) peer.txBytes += msg.length;
        else drops.count(Drop.UDP_BACKLOG, now);
        peer.timers.anyAuthenticatedPacketTraversal(now);
        peer.timers.anyAuthenticatedPacketSent();
    }

    private void handshakeComplete(Peer peer) {
        Instant t = Instant.now();
        peer.lastHandshakeEpochNanos = t.getEpochSecond() * 1_000_000_000L + t.getNano();
        Log.info(peer + ": handshake complete, session established");
    }

    // ---- inbound: UDP -> TUN ----

    private final class UdpReceiver implements UdpTransport.Receiver {
        @Override public void datagram(ByteBuf buf, ByteBuffer nio, int offset, int length, InetSocketAddress sender) {
            try {
                nio.limit(offset + length).position(offset);
                inbound(buf, nio, sender, System.nanoTime());
            } catch (RuntimeException e) {
                internalError(e);
            }
        }

        @Override public void readComplete() {
            try {
                tunWriter.flush(System.nanoTime());
            } catch (RuntimeException e) {
                internalError(e);
            }
            udp.flush();
        }

        @Override public void sendFailed(Throwable cause) {
            drops.count(Drop.UDP_SEND_FAILED, System.nanoTime());
            Log.debug("UDP send failed: " + cause.getMessage());
            if (udp.gso() && cause instanceof Errors.NativeIoException e && e.expectedErr() == -Errno.EIO) {
                // Linux answers EIO when the route's device cannot take a UDP GSO send.
                udp.disableGso();
                Log.info("UDP GSO sends fail (" + cause.getMessage() + "): sending datagrams one by one");
            }
        }
    }

    /** A datagram at nio[position, limit), the same bytes at the same indices of buf. */
    private void inbound(ByteBuf buf, ByteBuffer nio, InetSocketAddress sender, long now) {
        if (!linkUp) {
            drops.count(Drop.INTERFACE_DOWN, now);
            return;
        }
        switch (Messages.classify(nio)) {
            case MessageType.TRANSPORT -> receiveTransport(buf, nio, sender, now);
            case MessageType.COOKIE_REPLY -> receiveCookieReply(nio, now);
            case MessageType type -> receiveHandshake(type, nio, sender, now);
            case DropReason reason -> drops.count(reason, now);
        }
    }

    private void receiveCookieReply(ByteBuffer nio, long now) {
        CookieReply reply = (CookieReply) Messages.parseHandshake(nio).value();
        Peer peer = indices.owner(reply.receiver());
        if (peer == null) {
            drops.count(DropReason.UNKNOWN_RECEIVER, now);
            return;
        }
        // 5.4.7: the cookie is kept for the next message's mac2; the endpoint is not updated.
        Result<CookieReply> r = peer.cookies.consumeReply(reply, now);
        if (!r.isOk()) drops.count(r.dropReason(), now);
    }

    private void receiveHandshake(MessageType type, ByteBuffer nio, InetSocketAddress sender, long now) {
        if (noise == null) {
            drops.count(Drop.NO_PRIVATE_KEY, now);
            return;
        }
        byte[] msg = new byte[nio.remaining()];
        nio.get(nio.position(), msg);
        if (!cookieChecker.checkMac1(msg)) {
            drops.count(DropReason.INVALID_MAC1, now);
            return;
        }
        byte[] source = sender.getAddress().getAddress();
        if (underLoad(now)) {
            // 5.4.7: under load a valid mac2 is required; without one the sender gets a cookie.
            if (!cookieChecker.checkMac2(msg, source, sender.getPort(), now)) {
                byte[] reply = cookieChecker.createReply(msg, source, sender.getPort(), now).encode();
                if (!udp.send(alloc.directBuffer(reply.length).writeBytes(reply), sender)) drops.count(Drop.UDP_BACKLOG, now);
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

    private void receiveInitiation(Initiation init, int len, InetSocketAddress sender, long now) {
        Peer[] found = new Peer[1];
        Result<PeerHandshake> r = noise.consumeInitiation(init, key -> {
            found[0] = peers.get(new PublicKey(key));
            return found[0] == null ? null : found[0].handshake();
        }, now);
        if (!r.isOk()) {
            drops.count(r.dropReason(), now);
            return;
        }
        Peer peer = found[0];
        peer.endpoint = sender; // an authenticated message: roam to its source (whitepaper 2.1)
        peer.rxBytes += len;
        peer.timers.anyAuthenticatedPacketReceived();
        peer.timers.anyAuthenticatedPacketTraversal(now);
        Result<Responded> resp = noise.createResponse(peer.handshake(), now);
        if (!resp.isOk()) {
            drops.count(resp.dropReason(), now);
            return;
        }
        peer.keypairs.install(resp.value().keypair()); // goes to `next` until the initiator uses it
        byte[] msg = resp.value().response().encode();
        peer.cookies.addMacs(msg, now);
        sendHandshakeMessage(peer, msg, now);
        peer.timers.handshakeResponseSent(now);
        peer.timers.sessionDerived(now);
        Log.debug(peer + ": handshake initiation received, response sent");
    }

    private void receiveResponse(Response resp, int len, InetSocketAddress sender, long now) {
        Peer peer = indices.owner(resp.receiver());
        if (peer == null) {
            drops.count(DropReason.UNKNOWN_RECEIVER, now);
            return;
        }
        Result<Keypair> r = noise.consumeResponse(resp, peer.handshake(), now);
        if (!r.isOk()) {
            drops.count(r.dropReason(), now);
            return;
        }
        peer.keypairs.install(r.value());
        peer.endpoint = sender;
        peer.rxBytes += len;
        peer.timers.sessionDerived(now);
        peer.timers.handshakeComplete();
        peer.timers.anyAuthenticatedPacketReceived();
        peer.timers.anyAuthenticatedPacketTraversal(now);
        handshakeComplete(peer);
        // Confirm the session to the responder: with the waiting packets, or a keepalive (5.4.5).
        if (peer.staged.isEmpty()) sendKeepalive(peer, now);
        else sendStaged(peer, now);
    }

    private void receiveTransport(ByteBuf buf, ByteBuffer nio, InetSocketAddress sender, long now) {
        int base = nio.position();
        int len = nio.remaining();
        int index = Transport.receiverIndex(nio, base);
        Peer peer = indices.owner(index);
        Keypair kp = peer == null ? null : peer.keypairs.forLocalIndex(index);
        if (kp == null || !kp.tryAcquire()) {
            drops.count(Drop.UNKNOWN_RECEIVER_INDEX, now);
            return;
        }
        try {
            if (kp.isExpiredForReceiving(now)) {
                drops.count(Drop.KEYPAIR_EXPIRED, now);
                return;
            }
            long counter = Transport.counter(nio, base);
            nio.position(base + Transport.CONTENT_OFFSET);
            if (!aead.open(kp.receiveKey(), counter, nio)) {
                drops.count(Drop.DECRYPTION_FAILED, now);
                return;
            }
            if (!kp.acceptReceivedCounter(counter)) {
                drops.count(Drop.REPLAYED_COUNTER, now);
                return;
            }
            if (peer.keypairs.receivedWith(kp)) { // the responder's `next` confirmed (5.4.5)
                peer.timers.handshakeComplete();
                handshakeComplete(peer);
                sendStaged(peer, now);
            }
            if (!sender.equals(peer.endpoint)) peer.endpoint = sender; // roaming (whitepaper 2.1)
            peer.rxBytes += len;
            peer.timers.anyAuthenticatedPacketReceived();
            peer.timers.anyAuthenticatedPacketTraversal(now);
            // Whitepaper 6.2: an initiator whose session is about to expire rekeys once on receive.
            if (kp == peer.keypairs.current() && kp.needsRekeyAfterReceive(now) && peer.timers.claimLastMinuteHandshake()) {
                requestHandshake(peer, now);
            }
            int plain = len - Protocol.TRANSPORT_MIN_LEN;
            if (plain == 0) return; // a keepalive
            peer.timers.dataReceived(now);
            int p = base + Transport.CONTENT_OFFSET;
            int version = IpPacket.version(nio, p, plain);
            int ipLen = version == 0 ? -1 : IpPacket.length(nio, p, plain, version);
            if (ipLen < 0) {
                drops.count(Drop.INNER_NOT_IP, now);
                return;
            }
            // Cryptokey routing, inbound (whitepaper 2): the source must belong to this peer.
            if (allowedIps.lookup(nio, IpPacket.sourceOffset(p, version), version == 4) != peer) {
                drops.count(Drop.SOURCE_NOT_ALLOWED, now);
                return;
            }
            tunWriter.deliver(buf, nio, p, ipLen, now);
        } finally {
            kp.release();
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

    // ---- timers ----

    /**
     * Polls every peer's timers. A failure while serving one peer is counted and the others go on:
     * the task is periodic, and Netty stops rescheduling a periodic task that throws.
     */
    private void tick() {
        if (!linkUp) return; // timers were stopped when it went down
        long now = System.nanoTime();
        for (Peer peer : peers.values()) {
            try {
                runTimers(peer, now);
            } catch (RuntimeException | OutOfMemoryError e) {
                internalError(e);
            }
        }
        udp.flush();
    }

    private void runTimers(Peer peer, long now) {
        TimerAction a;
        while ((a = peer.timers.poll(now)) != null) {
                switch (a) {
                    case SEND_KEEPALIVE -> sendKeepalive(peer, now);
                    case SEND_HANDSHAKE_INITIATION -> initiate(peer, now);
                    case DROP_KEYS -> {
                        peer.clearSessions();
                        for (int i = peer.dropStaged(); i > 0; i--) drops.count(Drop.HANDSHAKE_GAVE_UP, now);
                        Log.debug(peer + ": no handshake for " + Protocol.ZERO_KEYS_AFTER.toSeconds() + " s, keys zeroed");
                    }
                    case GIVE_UP -> {
                        int n = peer.dropStaged();
                        for (int i = 0; i < n; i++) drops.count(Drop.HANDSHAKE_GAVE_UP, now);
                        Log.info(peer + ": handshake did not complete after " + Protocol.REKEY_ATTEMPT_TIME.toSeconds() + " s, giving up");
                    }
                }
        }
    }

    /** A bug met while handling one packet or timer: counted and reported (rate-limited), never fatal to the loop. */
    private void internalError(Throwable e) {
        long now = System.nanoTime();
        drops.count(Drop.INTERNAL_ERROR, now);
        if (internalErrorReported == 0 || now - internalErrorReported > Limits.DROP_REPORT_INTERVAL_NANOS) {
            internalErrorReported = now | 1;
            Log.info("internal error (a bug; please report it): " + e);
        }
    }

    private void drop(ByteBuf buf, Drop why, long now) {
        buf.release();
        drops.count(why, now);
    }

    // ---- plumbing ----

    private <T> T onLoop(Callable<T> task) throws InterruptedException, ExecutionException {
        if (loop.inEventLoop()) {
            try {
                return task.call();
            } catch (Exception e) {
                throw new ExecutionException(e);
            }
        }
        return loop.submit(task).get();
    }

    private <T> T onLoopUnchecked(Callable<T> task) throws IOException {
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
            throw new IOException(tun.name() + " is closed", e);
        }
    }

    /** Stops the loop, wipes every key, closes the socket and the TUN (which removes the interface). */
    @Override
    public void close() {
        if (!group.isShuttingDown()) {
            try {
                onLoop(() -> {
                    for (Peer p : new ArrayList<>(peers.values())) removePeer(p);
                    wipeIdentity();
                    if (udp != null) udp.close();
                    if (tunHandle != null) tunHandle.close();
                    if (tunWriter != null) tunWriter.release();
                    batch.release();
                    if (linkWatch != null) linkWatch.close();
                    return null;
                });
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException e) {
                Log.info("while stopping: " + e.getCause());
            }
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
        tun.close();
        stopped.complete("closed");
    }
}
