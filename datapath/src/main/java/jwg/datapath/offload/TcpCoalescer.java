package jwg.datapath.offload;

import static jwg.datapath.offload.InternetChecksum.PROTOCOL_TCP;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Receive coalescing (GRO) for what we write to the TUN: consecutive TCP segments of one flow,
 * decrypted one after the other, are merged into one super-packet that goes to the kernel in one
 * write with a virtio_net_hdr of gso_type TCPV4/TCPV6, so the kernel's stack handles one large
 * packet instead of many (tun_get_user and virtio_net_hdr_to_skb in the kernel; wireguard-go's
 * tun/offload_linux.go tcpGRO does the same job over a batch).
 *
 * <p>Used as every {@link Coalescer}.
 *
 * <p>The rules for a merge are those of the kernel's tcp_gro_receive and inet_gro_receive /
 * ipv6_gro_receive (net/ipv4/tcp_offload.c, af_inet.c, net/ipv6/ip6_offload.c), so that the kernel
 * could cut the super-packet back into exactly the segments it was made of: the first segment's
 * payload is the gso_size, every later one is as long or, once, shorter (which ends the run); every
 * header field that segmentation copies from the first segment must be the same in all of them
 * (addresses, ports, TOS/traffic class, TTL/hop limit, DF, flow label, ack, window, TCP options,
 * IP options); sequence numbers must follow; only ACK, plus PSH on the last segment, may be set.
 * SYN, FIN, RST, URG, CWR and ECE segments go alone. IPv4 fragments and IPv6 extension headers go
 * alone. At most {@link #MAX_SEGMENTS} segments and {@link #MAX_IP_LENGTH} bytes of IP packet.
 *
 * <p>The segments' checksums are not verified, and the super-packet's TCP checksum is left for the
 * kernel (CHECKSUM_PARTIAL: the field holds the pseudo-header sum, see {@link #finish}): each
 * segment was authenticated by the transport's AEAD, so it is exactly what the peer encrypted, and
 * kernel WireGuard trusts a decrypted packet's checksums just as far, marking it
 * CHECKSUM_UNNECESSARY (drivers/net/wireguard/receive.c wg_packet_consume_data_done). A local
 * receiver then takes CHECKSUM_PARTIAL as verified; a forwarding one computes the checksum from our
 * pseudo-header sum.
 *
 * <p>Not thread-safe: one per TUN writer. Buffers must be big-endian; indices are absolute; nothing
 * is allocated after construction.
 */
public final class TcpCoalescer implements Coalescer {
    /** Segments in one super-packet (our bound; also the kernel's UDP_MAX_SEGMENTS before 6.9). */
    public static final int MAX_SEGMENTS = 64;
    /** An IPv4 total length's limit, which we keep to for IPv6 as well (no jumbograms, RFC 2675). */
    public static final int MAX_IP_LENGTH = 65535;
    /** The smallest out buffer: a virtio header and the largest IP packet. */
    public static final int MIN_CAPACITY = VirtioNetHdr.LENGTH + MAX_IP_LENGTH;

    private static final int IP = VirtioNetHdr.LENGTH; // the pending packet's IP header in out
    private static final int TCP_HEADER_MIN = 20;
    private static final int TCP_ACK = 0x10;
    private static final int TCP_PSH = 0x08;

    private final ByteBuffer out;
    private int segments; // 0: nothing pending
    private int version;
    private int ipHeader;
    private int tcpHeader;
    private int ipLength;
    private int gsoSize;
    private int nextSeq;
    private boolean shortTaken;
    private boolean pushed;

    /** out receives the virtio header at 0 and the packet at 10; it must be big-endian and hold {@link #MIN_CAPACITY}. */
    public TcpCoalescer(ByteBuffer out) {
        if (out.limit() < MIN_CAPACITY) throw new IllegalArgumentException("out must hold " + MIN_CAPACITY + " bytes");
        if (out.order() != ByteOrder.BIG_ENDIAN) throw new IllegalArgumentException("out must be big-endian");
        this.out = out;
    }

    @Override
    public ByteBuffer out() {
        return out;
    }

    @Override
    public boolean hasPending() {
        return segments != 0;
    }

    /**
     * Takes the IP packet b[off, off + len): as the start of a new super-packet when nothing is
     * pending and it can be merged at all, or appended to the pending one when it continues it.
     * False, with nothing changed, otherwise.
     */
    @Override
    public boolean add(ByteBuffer b, int off, int len) {
        if (off < 0 || len < IpHeaders.IPV4_HEADER_MIN + TCP_HEADER_MIN || off > b.limit() - len) return false;
        int ih = IpHeaders.headerLength(b, off, len, PROTOCOL_TCP);
        if (ih < 0 || ih + TCP_HEADER_MIN > len) return false;
        int v = (b.get(off) & 0xff) >>> 4;
        int t = off + ih;
        int th = ((b.get(t + 12) & 0xff) >>> 4) * 4;
        if (th < TCP_HEADER_MIN || ih + th > len) return false;
        int payload = len - ih - th;
        int flags = b.get(t + 13) & 0xff;
        if (payload == 0 || (flags & ~TCP_PSH) != TCP_ACK) return false;
        int seq = b.getInt(t + 4);

        if (segments == 0) {
            out.put(IP, b, off, len);
            segments = 1;
            version = v;
            ipHeader = ih;
            tcpHeader = th;
            ipLength = len;
            gsoSize = payload;
            nextSeq = seq + payload;
            shortTaken = false;
            pushed = (flags & TCP_PSH) != 0;
            return true;
        }
        if (!continues(b, off, v, ih, th, payload, seq)) return false;
        out.put(IP + ipLength, b, off + ih + th, payload);
        ipLength += payload;
        segments++;
        nextSeq = seq + payload;
        shortTaken = payload < gsoSize;
        if ((flags & TCP_PSH) != 0) {
            int f = IP + ipHeader + 13;
            out.put(f, (byte) (out.get(f) | TCP_PSH));
            pushed = true;
        }
        return true;
    }

    private boolean continues(ByteBuffer b, int off, int v, int ih, int th, int payload, int seq) {
        if (v != version || ih != ipHeader || th != tcpHeader) return false;
        if (shortTaken || pushed || payload > gsoSize || seq != nextSeq) return false;
        if (segments >= MAX_SEGMENTS || ipLength + payload > MAX_IP_LENGTH) return false;
        if (!IpHeaders.sameFlow(b, off, ih, out, IP)) return false;
        int t = off + ih;
        int u = IP + ih;
        // ports; ack; data offset and the reserved/AE bits; window; options (RFC 9293 3.1).
        return b.getInt(t) == out.getInt(u)
                && b.getInt(t + 8) == out.getInt(u + 8)
                && b.get(t + 12) == out.get(u + 12)
                && b.getShort(t + 14) == out.getShort(u + 14)
                && IpHeaders.same(b, t + TCP_HEADER_MIN, out, u + TCP_HEADER_MIN, th - TCP_HEADER_MIN);
    }

    /**
     * Completes the pending packet in out and returns how many bytes of out to write from 0 (the
     * virtio header and the IP packet), or 0 when nothing is pending; nothing is pending afterwards.
     * One segment: a zero virtio header and the packet as it came. More: the IP lengths (and IPv4
     * header checksum) for the whole, and a virtio header NEEDS_CSUM, TCPV4/TCPV6, hdr_len = the
     * headers, gso_size = the first segment's payload, csum_start = the IP header's length,
     * csum_offset = 16, with the TCP checksum field holding the pseudo-header's sum for the new
     * length, folded and not complemented, which is what CHECKSUM_PARTIAL means
     * (include/linux/skbuff.h; tcp_v4_send_check/__tcp_v6_send_check store the same).
     */
    @Override
    public int finish() {
        if (segments == 0) return 0;
        if (segments == 1) {
            VirtioNetHdr.clear(out, 0);
        } else {
            IpHeaders.setLength(out, IP, ipHeader, ipLength);
            int tcpLength = ipLength - ipHeader;
            long pseudo = InternetChecksum.pseudoHeaderSum(out, IP, version, PROTOCOL_TCP, tcpLength);
            out.putShort(IP + ipHeader + GsoSplitter.TCP_CHECKSUM, (short) InternetChecksum.fold(pseudo));
            VirtioNetHdr.flags(out, 0, VirtioNetHdr.FLAG_NEEDS_CSUM);
            VirtioNetHdr.gsoType(out, 0, version == 4 ? VirtioNetHdr.GSO_TCPV4 : VirtioNetHdr.GSO_TCPV6);
            VirtioNetHdr.hdrLen(out, 0, ipHeader + tcpHeader);
            VirtioNetHdr.gsoSize(out, 0, gsoSize);
            VirtioNetHdr.csumStart(out, 0, ipHeader);
            VirtioNetHdr.csumOffset(out, 0, GsoSplitter.TCP_CHECKSUM);
        }
        int n = IP + ipLength;
        segments = 0;
        return n;
    }
}
