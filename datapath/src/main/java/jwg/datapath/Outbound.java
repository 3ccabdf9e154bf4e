package jwg.datapath;

import io.netty.buffer.ByteBuf;
import io.netty.channel.unix.Errors;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import jwg.crypto.PacketAead;
import jwg.datapath.ip.IpPacket;
import jwg.datapath.offload.VirtioNetHdr;
import jwg.datapath.tun.TunHandle;
import jwg.datapath.udp.Bind;
import jwg.noise.Initiation;
import jwg.noise.Result;
import jwg.noise.keys.Keypair;
import jwg.sys.Errno;
import jwg.sys.ErrnoException;

/**
 * The outbound path, TUN to peer (wireguard-go's send.go): each TUN read is routed by its
 * destination (cryptokey routing), split into segments, sealed and queued on the UDP socket, or
 * staged until the peer has a session. Everything else that leaves for a peer goes out here too:
 * staged packets, keepalives, handshake messages, cookie replies.
 *
 * <p>Three ways to seal, by what arrives: a single packet of a burst joins the {@link SendBatch}
 * ({@link #batchOne}); a super-packet is split into a buffer of its own and sealed there
 * ({@link #sealAndSend}); a staged packet or a keepalive is sealed in its own buffer
 * ({@link #encryptAndSend}). One buffer rule for all three: a route reads the caller's buffer and
 * never takes it over; what it sends goes to the socket as a buffer of its own (the batch's, or a
 * retained slice or reference), so every caller releases what it allocated. Each message sent to
 * a peer then goes through the one after-send step, {@link #sent}.
 */
final class Outbound implements TunHandle.Reader {
    private static final int HEADROOM = SegmentSealer.HEADROOM;
    private static final int TAILROOM = SegmentSealer.TAILROOM;

    private final Core core;
    private final Drops drops;
    private final SegmentSealer sealer;
    private final SendBatch batch;

    Outbound(Core core, PacketAead aead) {
        this.core = core;
        this.drops = core.drops;
        this.sealer = new SegmentSealer(aead);
        this.batch = new SendBatch(core.alloc);
    }

    // ---- from the TUN ----

    @Override public void packet(ByteBuf buf, int length) {
        try {
            send(buf, length, core.clock.nanoTime());
        } catch (RuntimeException e) {
            core.internalError(e);
        }
    }

    @Override public void burstDone() {
        try {
            flushBatch(core.clock.nanoTime());
        } catch (RuntimeException e) {
            core.internalError(e);
        }
        core.udp.flush();
    }

    @Override public void failed(ErrnoException e) {
        core.stopped.complete("interface " + core.name + " is gone (" + e.getMessage() + ")");
    }

    /**
     * A packet from the TUN, [virtio_net_hdr | IP packet] in read[0, len): routed by its destination
     * (whitepaper 2, cryptokey routing), split into segments (one unless it is a TSO/USO
     * super-packet), each in place behind room for its transport header, then sealed and sent in
     * one go, or staged until a session exists.
     */
    private void send(ByteBuf read, int len, long now) {
        ByteBuffer in = read.internalNioBuffer(0, len);
        int base = in.position();
        int ip = base + VirtioNetHdr.LENGTH;
        int ipLen = len - VirtioNetHdr.LENGTH;
        int version = IpPacket.version(in, ip, ipLen);
        if (version == 0) {
            drops.count(Drop.NOT_IP, now);
            return;
        }
        Peer peer = core.allowedIps.lookup(in, IpPacket.destinationOffset(ip, version), version == 4);
        if (peer == null) {
            drops.count(Drop.NO_PEER_FOR_DESTINATION, now);
            return;
        }
        if (peer.endpoint == null) {
            drops.count(Drop.NO_ENDPOINT, now);
            return;
        }
        // Our own datagram to this peer, routed back into the tunnel: sealing it again would loop for ever.
        if (IpPacket.isUdp(in, ip, ipLen, version, core.udp.port(), peer.endpoint)) {
            drops.count(Drop.ROUTING_LOOP, now);
            return;
        }
        int stride = SegmentSealer.stride(in, base, len, core.mtu);
        int count = SegmentSealer.segments(in, base, len);
        if (stride < 0 || count < 1) {
            drops.count(Drop.MALFORMED_OFFLOAD, now);
            return;
        }
        if (count == 1 && peer.staged.isEmpty() && batchOne(peer, in, base, len, stride, now)) return;
        flushBatch(now); // what is pending goes first
        ByteBuf out = core.alloc.directBuffer(count * stride);
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
                if (kp != null) sent = sealAndSend(peer, kp, out, o, n, stride, now);
            }
            for (int i = sent; i < n; i++) {
                int length = sealer.length(i);
                ByteBuf one = core.alloc.directBuffer(HEADROOM + length + TAILROOM);
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
        ByteBuffer o = batch.open(peer, to, stride);
        int at = batch.nextOffset();
        if (sealer.split(in, base, len, o, at, stride) != 1) {
            batch.abandon();
            drops.count(Drop.MALFORMED_OFFLOAD, now);
            return true;
        }
        if (sealer.seal(kp, o, at, 1, stride, core.mtu) == 0) {
            batch.abandon();
            return false;
        }
        batch.added(); // sealer.length(0) == stride: the stride is this packet's own message length
        sent(peer, kp, true, now); // its bytes are counted when the batch is queued
        return true;
    }

    /** Queues the send batch, if any, as one UDP GSO send. */
    private void flushBatch(long now) {
        if (batch.isEmpty()) return;
        Peer peer = batch.peer();
        InetSocketAddress to = batch.to();
        int stride = batch.stride();
        int bytes = batch.bytes();
        queued(core.udp.sendSegments(batch.take(), stride, to), peer, bytes, now);
    }

    /**
     * Seals the n segments the sealer split into out (o: its NIO view) and queues them for the
     * peer's endpoint: one UDP GSO send when they are back to back, else one datagram each.
     * Returns how many were sealed and sent: fewer than n once the keypair's counters run out; the
     * caller stages the rest.
     */
    private int sealAndSend(Peer peer, Keypair kp, ByteBuf out, ByteBuffer o, int n, int stride, long now) {
        int sealed = sealer.seal(kp, o, o.position(), n, stride, core.mtu);
        if (sealed == 0) return 0;
        InetSocketAddress to = peer.endpoint;
        Bind udp = core.udp;
        boolean queued;
        if (sealer.backToBack()) {
            queued = udp.sendSegments(out.retainedSlice(0, sealer.end()), stride, to);
        } else {
            queued = true;
            for (int i = 0; i < sealed; i++) queued &= udp.send(out.retainedSlice(i * stride, sealer.length(i)), to);
        }
        queued(queued, peer, sealer.end(), now);
        sent(peer, kp, true, now);
        return sealed;
    }

    /**
     * Pads, seals in place and sends the packet at buf[readerIndex, writerIndex) (headroom in front,
     * tailroom behind). False, nothing sent, when the keypair has used up its counters
     * (REJECT_AFTER_MESSAGES); buf stays the caller's either way.
     */
    private boolean encryptAndSend(Peer peer, Keypair kp, ByteBuf buf, long now) {
        long counter = kp.nextSendCounter();
        if (counter == Keypair.COUNTER_EXHAUSTED) return false;
        InetSocketAddress to = peer.endpoint;
        if (to == null) {
            drops.count(Drop.NO_ENDPOINT, now);
            return true;
        }
        int n = buf.readableBytes();
        ByteBuffer nio = buf.internalNioBuffer(0, buf.capacity());
        int total = sealer.seal(kp, counter, nio, nio.position(), n, core.mtu);
        buf.setIndex(0, total);
        queued(core.udp.send(buf.retain(), to), peer, total, now);
        sent(peer, kp, n > 0, now);
        return true;
    }

    /**
     * The after-send step, for every authenticated message to peer (PeerTimers' order): kp is the
     * keypair of a transport message, null for a handshake message; data unless a keepalive.
     */
    private void sent(Peer peer, Keypair kp, boolean data, long now) {
        peer.timers.anyAuthenticatedPacketTraversal(now);
        peer.timers.anyAuthenticatedPacketSent();
        if (kp == null) return;
        if (data) peer.timers.dataSent(now);
        // Whitepaper 6.2: the initiator rekeys after REKEY_AFTER_TIME, anyone after REKEY_AFTER_MESSAGES.
        if (kp.needsRekeyAfterSend(now)) requestHandshake(peer, now);
    }

    /** Counts bytes queued for peer, or the message dropped because the socket is backed up. */
    private void queued(boolean queued, Peer peer, int bytes, long now) {
        if (queued) peer.txBytes += bytes;
        else drops.count(Drop.UDP_BACKLOG, now);
    }

    /** The current keypair if it may still send (whitepaper 6.1: REJECT_AFTER_TIME, REJECT_AFTER_MESSAGES), or null. */
    private static Keypair usableKeypair(Peer peer, long now) {
        Keypair kp = peer.keypairs.current();
        return kp == null || kp.isExpiredForSending(now) ? null : kp;
    }

    // ---- staged packets and keepalives ----

    private void stage(Peer peer, ByteBuf buf, long now) {
        if (peer.staged.size() >= Limits.MAX_STAGED) {
            peer.staged.poll().release();
            drops.count(Drop.STAGED_QUEUE_FULL, now);
        }
        peer.staged.add(buf);
    }

    /** Sends the peer's waiting packets if it has a session, else asks for a handshake. */
    void sendStaged(Peer peer, long now) {
        if (peer.staged.isEmpty()) return;
        Keypair kp = usableKeypair(peer, now);
        if (kp == null) {
            requestHandshake(peer, now);
            return;
        }
        ByteBuf b;
        while ((b = peer.staged.peek()) != null) {
            if (!encryptAndSend(peer, kp, b, now)) {
                requestHandshake(peer, now);
                return;
            }
            peer.staged.poll().release();
        }
    }

    /** A keepalive (an empty transport message), or the waiting packets, which serve as one; a handshake if there is no session. */
    void sendKeepalive(Peer peer, long now) {
        if (!peer.staged.isEmpty()) {
            sendStaged(peer, now); // the waiting packets serve as the keepalive
            return;
        }
        Keypair kp = usableKeypair(peer, now);
        if (kp == null) {
            requestHandshake(peer, now);
            return;
        }
        ByteBuf b = core.alloc.directBuffer(HEADROOM + TAILROOM);
        try {
            b.setIndex(HEADROOM, HEADROOM);
            if (!encryptAndSend(peer, kp, b, now)) requestHandshake(peer, now);
        } finally {
            b.release();
        }
    }

    // ---- handshake messages ----

    /** The datapath wants a session (whitepaper 6.2, 6.4): an initiation unless one went out less than REKEY_TIMEOUT ago. */
    void requestHandshake(Peer peer, long now) {
        if (peer.timers.requestHandshake(now)) initiate(peer, now);
    }

    /** Sends a handshake initiation (whitepaper 5.4.2), a first attempt or a retry. */
    void initiate(Peer peer, long now) {
        if (peer.endpoint == null || core.noise == null) {
            peer.timers.handshakeInitiated(now); // keep the retry and give-up schedule going
            return;
        }
        Result<Initiation> r = core.noise.createInitiation(peer.handshake(), core.clock.now());
        if (!r.isOk()) {
            drops.count(r.dropReason(), now);
            return;
        }
        byte[] msg = r.value().encode();
        peer.cookies.addMacs(msg, now);
        sendHandshakeMessage(peer, msg, now);
        peer.initiationSent();
        peer.timers.handshakeInitiated(now);
        Log.debug(peer + ": sending handshake initiation");
    }

    /** An initiation or a response (its macs added) to the peer's endpoint. */
    void sendHandshakeMessage(Peer peer, byte[] msg, long now) {
        ByteBuf b = core.alloc.directBuffer(msg.length).writeBytes(msg);
        queued(core.udp.send(b, peer.endpoint), peer, msg.length, now);
        sent(peer, null, false, now);
    }

    /** A cookie reply (whitepaper 5.4.7) to the source of a handshake message: to no peer, counted for the device only. */
    void sendCookieReply(byte[] reply, InetSocketAddress to, long now) {
        if (core.udp.send(core.alloc.directBuffer(reply.length).writeBytes(reply), to)) core.cookieRepliesSent++;
        else drops.count(Drop.UDP_BACKLOG, now);
    }

    // ---- the socket's failures, and closing ----

    /** The kernel refused a datagram; a refused UDP GSO send turns GSO off. */
    void sendFailed(Throwable cause) {
        drops.count(Drop.UDP_SEND_FAILED, core.clock.nanoTime());
        Log.debug("UDP send failed: " + cause.getMessage());
        Bind udp = core.udp;
        if (udp.gso() && cause instanceof Errors.NativeIoException e && e.expectedErr() == -Errno.EIO) {
            // Linux answers EIO when the route's device cannot take a UDP GSO send.
            udp.disableGso();
            Log.info("UDP GSO sends fail (" + cause.getMessage() + "): sending datagrams one by one");
        }
    }

    /** Drops what the batch holds (the device is closing). */
    void release() {
        batch.release();
    }
}
