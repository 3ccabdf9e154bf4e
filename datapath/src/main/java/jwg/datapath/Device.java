package jwg.datapath;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.IoEventLoop;
import io.netty.channel.IoRegistration;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import jwg.crypto.PacketAead;
import jwg.datapath.allowedips.AllowedIps;
import jwg.datapath.ip.IpPacket;
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
import jwg.sys.ErrnoException;
import jwg.sys.Libc;
import jwg.sys.LibcConstants;
import jwg.tun.TunDevice;

/**
 * A WireGuard interface: the TUN device, the UDP socket, the peers and their cryptokey routing.
 *
 * <p>One Netty epoll event loop owns everything: it reads the TUN and the UDP socket, runs the
 * handshakes and the per-peer timers, and (in this version) encrypts and decrypts inline. All peer
 * state is therefore confined to that thread; configuration calls from other threads are handed
 * to it and waited for.
 */
public final class Device implements AutoCloseable {
    /** How often the timers are polled; their deadlines are met to within this. */
    private static final long TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(20);
    /**
     * Under load (whitepaper 5.4.7): more than this many handshake messages in one LOAD_WINDOW puts
     * the device under load for LOAD_DURATION; then mac2 (a cookie) is required and the per-source
     * rate limiter applies. A responder handshake costs about 0.5 ms of CPU here, so 64 in 125 ms
     * is a quarter of one core.
     */
    private static final int LOAD_THRESHOLD = 64;
    private static final long LOAD_WINDOW_NANOS = TimeUnit.MILLISECONDS.toNanos(125);
    private static final long LOAD_DURATION_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final TunDevice tun;
    private final int mtu;
    private final MultiThreadIoEventLoopGroup group;
    private final IoEventLoop loop;
    private final ByteBufAllocator alloc = PooledByteBufAllocator.DEFAULT;
    private final SecureRandom random = new SecureRandom();
    private final Handshake noise;
    private final CookieChecker cookieChecker;
    private final RateLimiter rateLimiter;
    private final IndexMap<Peer> indices = new IndexMap<>();
    private final Map<PublicKey, Peer> peers = new HashMap<>();
    private final Map<PeerHandshake, Peer> peersByHandshake = new java.util.IdentityHashMap<>();
    private final AllowedIps<Peer> allowedIps = new AllowedIps<>();
    private final PacketAead aead = new PacketAead();
    private final Drops drops = new Drops();
    private final CompletableFuture<String> stopped = new CompletableFuture<>();
    private final int fwmark;
    private UdpTransport udp;
    private TunHandle tunHandle;

    private long loadWindowStart;
    private int loadWindowCount;
    private boolean underLoad;
    private long underLoadUntil;

    /** The key of the peers map: a public key compared by content. */
    private record PublicKey(byte[] key) {
        @Override public boolean equals(Object o) { return o instanceof PublicKey p && java.util.Arrays.equals(p.key, key); }
        @Override public int hashCode() { return java.util.Arrays.hashCode(key); }
    }

    private Device(TunDevice tun, int mtu, byte[] privateKey, int fwmark) {
        this.tun = tun;
        this.mtu = mtu;
        this.fwmark = fwmark;
        StaticIdentity identity = StaticIdentity.of(privateKey);
        this.noise = new Handshake(identity, random);
        this.cookieChecker = new CookieChecker(identity, random);
        this.rateLimiter = new RateLimiter(random.nextLong());
        this.group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        this.loop = (IoEventLoop) group.next();
    }

    /**
     * Starts the device on an opened TUN whose MTU is mtu: binds UDP listenPort (0: any) with
     * SO_MARK fwmark (0: none) and adds the peers.
     */
    public static Device start(TunDevice tun, int mtu, byte[] privateKey, int listenPort, int fwmark,
                               List<PeerSettings> peers) throws IOException {
        Device d = new Device(tun, mtu, privateKey, fwmark);
        try {
            d.udp = UdpTransport.bind(d.loop, listenPort, d.new UdpReceiver(), d::setUpSocket);
            d.tunHandle = new TunHandle(tun.queue(0), mtu, d.alloc, d.new TunReader());
            IoRegistration reg = d.loop.register(d.tunHandle).get();
            d.onLoop(() -> {
                d.tunHandle.start(reg);
                for (PeerSettings p : peers) d.addPeer(p);
                return null;
            });
            d.loop.scheduleAtFixedRate(d::tick, TICK_NANOS, TICK_NANOS, TimeUnit.NANOSECONDS);
            return d;
        } catch (RuntimeException e) {
            d.close();
            throw e;
        } catch (InterruptedException | ExecutionException e) {
            d.close();
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            throw new IOException("cannot start " + tun.name() + ": " + cause.getMessage(), cause);
        }
    }

    private void setUpSocket(int fd) {
        if (fwmark == 0) return;
        int r = Libc.setsockoptInt(fd, LibcConstants.SOL_SOCKET, LibcConstants.SO_MARK, fwmark);
        if (r < 0) throw new IllegalStateException(new ErrnoException("setsockopt(SO_MARK)", -r));
    }

    public String name() { return tun.name(); }

    /** The UDP port the device listens on. */
    public int listenPort() { return udp.port(); }

    public Drops drops() { return drops; }

    /** Completes with the reason when the device stops by itself (e.g. its interface was deleted). */
    public CompletableFuture<String> stopped() { return stopped; }

    // ---- configuration (any thread) ----

    /** Adds or replaces a peer. */
    public void setPeer(PeerSettings settings) throws IOException {
        onLoopUnchecked(() -> {
            removePeerOnLoop(settings.publicKey());
            addPeer(settings);
            return null;
        });
    }

    /** Public key, endpoint, counters and last handshake of each peer. */
    public List<PeerStatus> peerStatus() throws IOException {
        return onLoopUnchecked(() -> {
            List<PeerStatus> out = new ArrayList<>();
            for (Peer p : peers.values()) {
                out.add(new PeerStatus(p.publicKey.clone(), p.endpoint, p.rxBytes, p.txBytes, p.lastHandshakeEpochNanos,
                        allowedIps.prefixesOf(p).stream().map(x -> new AllowedIp(x.address(), x.bits())).toList()));
            }
            return out;
        });
    }

    private void addPeer(PeerSettings s) {
        if (noise.identity().hasPublicKey(s.publicKey())) {
            Log.info("ignoring a peer with the interface's own public key"); // as the kernel does
            return;
        }
        long now = System.nanoTime();
        Peer p = new Peer(s.publicKey(), s.presharedKey(), noise, indices, new PeerTimers(random));
        p.endpoint = s.endpoint();
        peers.put(new PublicKey(p.publicKey), p);
        peersByHandshake.put(p.handshake, p);
        for (AllowedIp a : s.allowedIps()) allowedIps.insert(a.address(), a.bits(), p);
        p.persistentKeepalive = s.persistentKeepalive();
        p.timers.setPersistentKeepaliveInterval(s.persistentKeepalive(), now);
        Log.debug(p + " added: endpoint " + s.endpoint() + ", allowed IPs " + s.allowedIps());
    }

    private void removePeerOnLoop(byte[] publicKey) {
        Peer p = peers.remove(new PublicKey(publicKey));
        if (p == null) return;
        peersByHandshake.remove(p.handshake);
        allowedIps.removePeer(p);
        p.timers.stop();
        p.dropStaged();
        p.keypairs.clear();
        p.handshake.clear();
    }

    // ---- outbound: TUN -> peer ----

    private final class TunReader implements TunHandle.Reader {
        @Override public void packet(ByteBuf buf, int length) {
            outbound(buf, length, System.nanoTime());
        }

        @Override public void burstDone() {
            udp.flush();
        }

        @Override public void failed(ErrnoException e) {
            stopped.complete("interface " + tun.name() + " is gone (" + e.getMessage() + ")");
        }
    }

    private void outbound(ByteBuf buf, int n, long now) {
        ByteBuffer nio = buf.internalNioBuffer(0, buf.capacity());
        int p = nio.position() + TunHandle.HEADROOM;
        int version = IpPacket.version(nio, p, n);
        if (version == 0) {
            drop(buf, Drop.NOT_IP, now);
            return;
        }
        Peer peer = allowedIps.lookup(nio, IpPacket.destinationOffset(p, version), version == 4);
        if (peer == null) {
            drop(buf, Drop.NO_PEER_FOR_DESTINATION, now);
            return;
        }
        if (peer.endpoint == null) {
            drop(buf, Drop.NO_ENDPOINT, now);
            return;
        }
        buf.setIndex(TunHandle.HEADROOM, TunHandle.HEADROOM + n);
        if (peer.staged.isEmpty()) {
            Keypair kp = usableKeypair(peer, now);
            if (kp != null) {
                try {
                    if (encryptAndSend(peer, kp, buf, now)) return;
                } finally {
                    kp.release();
                }
            }
        }
        stage(peer, buf, now);
        sendStaged(peer, now);
    }

    private void stage(Peer peer, ByteBuf buf, long now) {
        if (peer.staged.size() >= Peer.MAX_STAGED) {
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
        int padded = Transport.paddedLength(n, mtu); // whitepaper 5.4.6
        buf.setZero(TunHandle.HEADROOM + n, padded - n);
        int total = TunHandle.HEADROOM + padded + PacketAead.TAG_LEN;
        ByteBuffer nio = buf.internalNioBuffer(0, total);
        int base = nio.position();
        nio.limit(base + TunHandle.HEADROOM + padded).position(base + TunHandle.HEADROOM);
        aead.seal(kp.sendKey(), counter, nio);
        Transport.writeHeader(nio, base, kp.remoteIndex(), counter);
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
            ByteBuf b = alloc.directBuffer(TunHandle.HEADROOM + TunHandle.TAILROOM);
            b.setIndex(TunHandle.HEADROOM, TunHandle.HEADROOM);
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
        if (peer.endpoint == null) {
            peer.timers.handshakeInitiated(now); // keep the retry and give-up schedule going
            return;
        }
        Result<Initiation> r = noise.createInitiation(peer.handshake, Instant.now());
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
        @Override public void datagram(ByteBuf content, InetSocketAddress sender) {
            inbound(content, sender, System.nanoTime());
        }

        @Override public void readComplete() {
            udp.flush();
        }
    }

    private void inbound(ByteBuf content, InetSocketAddress sender, long now) {
        ByteBuffer nio = content.internalNioBuffer(content.readerIndex(), content.readableBytes());
        switch (Messages.classify(nio)) {
            case MessageType.TRANSPORT -> receiveTransport(content, nio, sender, now);
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
                udp.send(alloc.directBuffer(reply.length).writeBytes(reply), sender);
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
        Result<PeerHandshake> r = noise.consumeInitiation(init, key -> {
            Peer p = peers.get(new PublicKey(key));
            return p == null ? null : p.handshake;
        }, now);
        if (!r.isOk()) {
            drops.count(r.dropReason(), now);
            return;
        }
        Peer peer = peersByHandshake.get(r.value());
        peer.endpoint = sender; // an authenticated message: roam to its source (whitepaper 2.1)
        peer.rxBytes += len;
        peer.timers.anyAuthenticatedPacketReceived();
        peer.timers.anyAuthenticatedPacketTraversal(now);
        Result<Responded> resp = noise.createResponse(peer.handshake, now);
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
        Result<Keypair> r = noise.consumeResponse(resp, peer.handshake, now);
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

    private void receiveTransport(ByteBuf content, ByteBuffer nio, InetSocketAddress sender, long now) {
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
            if (!tunHandle.write(content, content.readerIndex() + Transport.CONTENT_OFFSET, ipLen)) {
                drops.count(Drop.TUN_WRITE_FAILED, now);
            }
        } finally {
            kp.release();
        }
    }

    /** Whitepaper 5.4.7: "under load" when handshake messages arrive faster than LOAD_THRESHOLD per window. */
    private boolean underLoad(long now) {
        if (now - loadWindowStart > LOAD_WINDOW_NANOS) {
            loadWindowStart = now;
            loadWindowCount = 0;
        }
        if (++loadWindowCount > LOAD_THRESHOLD) {
            underLoad = true;
            underLoadUntil = now + LOAD_DURATION_NANOS;
        } else if (underLoad && now - underLoadUntil > 0) {
            underLoad = false;
        }
        return underLoad;
    }

    // ---- timers ----

    private void tick() {
        long now = System.nanoTime();
        for (Peer peer : peers.values()) {
            TimerAction a;
            while ((a = peer.timers.poll(now)) != null) {
                switch (a) {
                    case SEND_KEEPALIVE -> sendKeepalive(peer, now);
                    case SEND_HANDSHAKE_INITIATION -> initiate(peer, now);
                    case DROP_KEYS -> {
                        peer.keypairs.clear();
                        peer.handshake.clear();
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
        udp.flush();
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
        }
    }

    /** Stops the loop, clears every key, closes the socket and the TUN (which removes the interface). */
    @Override
    public void close() {
        if (!group.isShuttingDown()) {
            try {
                onLoop(() -> {
                    for (Peer p : new ArrayList<>(peers.values())) removePeerOnLoop(p.publicKey);
                    if (udp != null) udp.close();
                    if (tunHandle != null) tunHandle.close();
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
