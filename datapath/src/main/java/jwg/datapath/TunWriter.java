package jwg.datapath;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.ByteBuffer;
import jwg.datapath.offload.Coalescer;
import jwg.datapath.offload.InternetChecksum;
import jwg.datapath.offload.TcpCoalescer;
import jwg.datapath.offload.UdpCoalescer;
import jwg.datapath.offload.VirtioNetHdr;
import jwg.datapath.tun.TunHandle;
import jwg.datapath.tun.TunSink;
import jwg.sys.Errno;

/**
 * The inbound end of the datapath: decrypted IP packets go to the TUN, merged into TCP or UDP
 * super-packets (GRO) where the TUN takes them, else one write each. Loop-confined, as the device.
 *
 * <p>The coalescers share one buffer, so at most one of them has a packet pending, and a packet
 * that cannot join it is written only after it (no flow is reordered). A kernel that refuses a
 * super-packet (EINVAL: TUN GSO writes were broken on Linux 6.6.44) loses it, and that kind of
 * coalescing is turned off from then on: TCP resends what was lost, UDP may lose it anyway.
 */
final class TunWriter {
    private final TunSink tun;
    private final String name;
    private final Drops drops;
    /** Null without IFF_VNET_HDR, and each once the kernel refused what it made; UDP also without USO. */
    private Coalescer tcp;
    private Coalescer udp;
    private Coalescer pending;
    private final ByteBuf coalesced;

    /**
     * Writes to tun (named name, for the log), counting failed writes in drops; coalescing TCP when
     * the TUN has IFF_VNET_HDR (coalesceTcp) and UDP when it also has USO (coalesceUdp).
     */
    TunWriter(TunSink tun, String name, Drops drops, ByteBufAllocator alloc, boolean coalesceTcp, boolean coalesceUdp) {
        this.tun = tun;
        this.name = name;
        this.drops = drops;
        this.coalesced = coalesceTcp || coalesceUdp ? alloc.directBuffer(TunHandle.MAX_READ, TunHandle.MAX_READ) : null;
        ByteBuffer out = coalesced == null ? null : coalesced.internalNioBuffer(0, TunHandle.MAX_READ).slice();
        if (coalesceTcp) tcp = new TcpCoalescer(out);
        if (coalesceUdp) udp = new UdpCoalescer(out);
    }

    /**
     * The decrypted IP packet (IPv4 or IPv6, checked) at nio[p, p + len), buf[p, p + len), with
     * room for a virtio_net_hdr in front: merged with the packets pending before it when it
     * continues them, else written alone with a zeroed virtio_net_hdr (after what is pending).
     */
    void deliver(ByteBuf buf, ByteBuffer nio, int p, int len, long now) {
        Coalescer c = coalescerFor(nio, p);
        if (c != null) {
            if (pending != c) flush(now);
            if (c.add(nio, p, len)) {
                pending = c;
                return;
            }
            flush(now);
            if (c.add(nio, p, len)) {
                pending = c;
                return;
            }
        } else {
            flush(now);
        }
        VirtioNetHdr.clear(nio, p - VirtioNetHdr.LENGTH);
        int errno = tun.write(buf, p - VirtioNetHdr.LENGTH, VirtioNetHdr.LENGTH + len);
        if (errno != 0) {
            drops.count(Drop.TUN_WRITE_FAILED, now);
            if (Log.isDebug()) Log.debug(name + ": TUN write of " + len + " bytes failed: " + Errno.name(errno));
        }
    }

    /** The coalescer for the IP packet at nio[p] by its transport protocol, or null. */
    private Coalescer coalescerFor(ByteBuffer nio, int p) {
        int protocol = nio.get(p + ((nio.get(p) & 0xf0) == 0x40 ? 9 : 6)) & 0xff;
        return protocol == InternetChecksum.PROTOCOL_TCP ? tcp : protocol == InternetChecksum.PROTOCOL_UDP ? udp : null;
    }

    /** Writes what the pending coalescer merged, as one TUN write (at the end of each burst, and before what cannot join it). */
    void flush(long now) {
        Coalescer c = pending;
        if (c == null) return;
        pending = null;
        int n = c.finish();
        int gsoType = VirtioNetHdr.gsoType(c.out(), 0);
        int errno = tun.write(coalesced, 0, n);
        if (errno == 0) return;
        drops.count(Drop.TUN_WRITE_FAILED, now);
        if (errno == Errno.EINVAL && gsoType != VirtioNetHdr.GSO_NONE) {
            String kind = c == tcp ? "TCP" : "UDP";
            if (c == tcp) tcp = null;
            else udp = null;
            Log.info(name + ": the kernel refuses coalesced " + kind + " writes (" + Errno.name(errno) + "): writing those packets one by one");
        }
    }

    void release() {
        if (coalesced != null) coalesced.release();
    }
}
