package jwg.datapath;

import io.netty.buffer.ByteBuf;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import jwg.crypto.PacketAead;
import jwg.datapath.ip.IpPacket;
import jwg.datapath.udp.UdpTransport;
import jwg.noise.DropReason;
import jwg.noise.MessageType;
import jwg.noise.Messages;
import jwg.noise.Protocol;
import jwg.noise.Transport;
import jwg.noise.keys.Keypair;

/**
 * The inbound path, peer to TUN (wireguard-go's receive.go): each datagram is classified; a
 * transport message is opened in place, checked against replay and cryptokey routing and handed
 * to the {@link TunWriter}; handshake messages and cookie replies wait in {@link Handshakes}' queue.
 * Every authenticated message goes through the one after-receive step, {@link Peer#received}.
 */
final class Inbound implements UdpTransport.Receiver {
    private final Core core;
    private final Drops drops;
    private final Handshakes handshakes;
    private final Outbound outbound;
    private final PacketAead aead;
    private final TunWriter tunWriter;

    Inbound(Core core, Handshakes handshakes, Outbound outbound, PacketAead aead, TunWriter tunWriter) {
        this.core = core;
        this.drops = core.drops;
        this.handshakes = handshakes;
        this.outbound = outbound;
        this.aead = aead;
        this.tunWriter = tunWriter;
    }

    // ---- from the UDP socket ----

    @Override public void datagram(ByteBuf buf, ByteBuffer nio, int offset, int length, InetSocketAddress sender) {
        try {
            nio.limit(offset + length).position(offset);
            receive(buf, nio, sender, core.clock.nanoTime());
        } catch (RuntimeException e) {
            core.internalError(e);
        }
    }

    @Override public void readComplete() {
        try {
            tunWriter.flush(core.clock.nanoTime());
        } catch (RuntimeException e) {
            core.internalError(e);
        }
        handshakes.scheduleWork();
        core.udp.flush();
    }

    @Override public void sendFailed(Throwable cause) {
        outbound.sendFailed(cause);
    }

    /** A datagram at nio[position, limit), the same bytes at the same indices of buf. */
    private void receive(ByteBuf buf, ByteBuffer nio, InetSocketAddress sender, long now) {
        if (!core.linkUp) {
            drops.count(Drop.INTERFACE_DOWN, now);
            return;
        }
        switch (Messages.classify(nio)) {
            case MessageType.TRANSPORT -> receiveTransport(buf, nio, sender, now);
            case MessageType type -> handshakes.admit(nio, sender, now); // initiation, response, cookie reply
            case DropReason reason -> drops.count(reason, now);
        }
    }

    private void receiveTransport(ByteBuf buf, ByteBuffer nio, InetSocketAddress sender, long now) {
        int base = nio.position();
        int len = nio.remaining();
        int index = Transport.receiverIndex(nio, base);
        Peer peer = core.indices.owner(index);
        Keypair kp = peer == null ? null : peer.keypairs.forLocalIndex(index);
        if (kp == null) {
            drops.count(Drop.UNKNOWN_RECEIVER_INDEX, now);
            return;
        }
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
            handshakes.established(peer);
            outbound.sendStaged(peer, now);
        }
        peer.received(sender, len, now);
        // Whitepaper 6.2: an initiator whose session is about to expire rekeys once on receive.
        if (kp == peer.keypairs.current() && kp.needsRekeyAfterReceive(now) && peer.timers.claimLastMinuteHandshake()) {
            outbound.requestHandshake(peer, now);
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
        if (core.allowedIps.lookup(nio, IpPacket.sourceOffset(p, version), version == 4) != peer) {
            drops.count(Drop.SOURCE_NOT_ALLOWED, now);
            return;
        }
        tunWriter.deliver(buf, nio, p, ipLen, now);
    }
}
