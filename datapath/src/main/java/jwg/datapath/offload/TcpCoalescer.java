package jwg.datapath.offload;

import static jwg.datapath.offload.InternetChecksum.PROTOCOL_TCP;

import java.nio.ByteBuffer;

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
 * alone. At most {@link jwg.datapath.Limits#GSO_SEGMENTS} segments and {@link jwg.datapath.Limits#MAX_IP_LENGTH} bytes of IP packet.
 *
 * <p>The segments' checksums are not verified, and the super-packet's TCP checksum is left for the
 * kernel (CHECKSUM_PARTIAL: the field holds the pseudo-header sum, see {@link #finish}): each
 * segment was authenticated by the transport's AEAD, so it is exactly what the peer encrypted, and
 * kernel WireGuard trusts a decrypted packet's checksums just as far, marking it
 * CHECKSUM_UNNECESSARY (drivers/net/wireguard/receive.c wg_packet_consume_data_done). A local
 * receiver then takes CHECKSUM_PARTIAL as verified; a forwarding one computes the checksum from our
 * pseudo-header sum.
 */
public final class TcpCoalescer extends Coalescer {
    private static final int TCP_HEADER_MIN = 20;
    private static final int TCP_ACK = 0x10;
    private static final int TCP_PSH = 0x08;

    private int tcpHeader;
    private int nextSeq;
    private boolean pushed;

    public TcpCoalescer(ByteBuffer out) {
        super(out);
    }

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
            start(b, off, len, v, ih, payload);
            tcpHeader = th;
            nextSeq = seq + payload;
            pushed = (flags & TCP_PSH) != 0;
            return true;
        }
        if (!continues(b, off, v, ih, th, payload, seq)) return false;
        append(b, t + th, payload);
        nextSeq = seq + payload;
        if ((flags & TCP_PSH) != 0) {
            int f = IP + ipHeader + 13;
            out.put(f, (byte) (out.get(f) | TCP_PSH));
            pushed = true;
        }
        return true;
    }

    private boolean continues(ByteBuffer b, int off, int v, int ih, int th, int payload, int seq) {
        if (!fits(v, ih, payload) || th != tcpHeader || pushed || seq != nextSeq) return false;
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
     * As {@link Coalescer#end}: TCPV4/TCPV6, csum_offset 16, the TCP checksum field holding the
     * pseudo-header sum (tcp_v4_send_check/__tcp_v6_send_check store the same).
     */
    @Override
    public int finish() {
        if (segments == 0) return 0;
        return end(PROTOCOL_TCP, version == 4 ? VirtioNetHdr.GSO_TCPV4 : VirtioNetHdr.GSO_TCPV6, tcpHeader, GsoSplitter.TCP_CHECKSUM);
    }
}
