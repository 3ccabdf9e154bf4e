package jwg.datapath.offload;

import static jwg.datapath.offload.InternetChecksum.PROTOCOL_TCP;
import static jwg.datapath.offload.InternetChecksum.PROTOCOL_UDP;

import java.nio.ByteBuffer;
import jwg.datapath.Limits;

/**
 * Software segmentation of what a TUN with IFF_VNET_HDR and TUNSETOFFLOAD(TUN_F_CSUM | TUN_F_TSO4 |
 * TUN_F_TSO6 | TUN_F_USO4 | TUN_F_USO6) hands us: one virtio_net_hdr ({@link VirtioNetHdr}) and
 * one IP packet that is either a single packet whose transport checksum may still be unfinished
 * (gso_type NONE, CHECKSUM_PARTIAL) or a TCP/UDP "super-packet" of up to 64 KB that we must cut
 * into MSS-sized packets ourselves, as the kernel would have done in tcp_gso_segment and
 * __udp_gso_segment (net/ipv4/tcp_offload.c, udp_offload.c; net/ipv4/af_inet.c inet_gso_segment
 * for the IPv4 header, net/ipv6/ip6_offload.c for IPv6). The same job as wireguard-go's
 * tun/offload_linux.go gsoSplit and gsoNoneChecksum, written from the kernel's rules.
 *
 * <p>What we take from the virtio header and what we parse ourselves: the IP and transport headers
 * are parsed from the packet; hdr_len is only checked not to lie beyond the packet, since the
 * kernel sets it to skb_headlen(), which on the forwarding path can be the whole first segment
 * (include/linux/virtio_net.h virtio_net_hdr_from_skb; wireguard-go makes the same remark). When
 * NEEDS_CSUM is set, csum_start and csum_offset must name the transport checksum field of the
 * headers we parsed, or the packet is refused. The super-packet's own IPv4 total length / IPv6
 * payload length is ignored, as inet_gso_segment does: the read's length is the truth.
 *
 * <p>Decisions, each as the kernel does it:
 * <ul>
 *   <li>A computed checksum of 0 is stored as 0xffff (CSUM_MANGLED_0), for every protocol, as
 *       skb_checksum_help (net/core/dev.c) does for CHECKSUM_PARTIAL: required for UDP (RFC 768,
 *       RFC 8200 8.1: 0 means "no checksum", which IPv6 forbids), harmless for TCP where 0 and
 *       0xffff are the same ones-complement zero and both verify.
 *   <li>gso_type TCPV4/TCPV6 with the ECN bit is accepted and cut like any other: the bit only says
 *       the first segment carries CWR, and CWR is cleared on every segment but the first anyway
 *       (tcp_gso_segment). We do not offer TUN_F_TSO_ECN, so the kernel segments such packets
 *       itself before they reach us; accepting costs nothing. UDP_L4 with ECN is refused.
 *   <li>Legacy UFO (gso_type UDP) is refused: we never offer TUN_F_UFO.
 *   <li>IPv4 fragments are refused (a DF flag is fine): TSO/USO packets are never fragments.
 *       IPv6 extension headers are refused too, although ipv6_gso_segment would walk them: we
 *       parse none, and a routing header would change the pseudo-header's destination. Local TCP
 *       and UDP over IPv6 carry none; such a super-packet is dropped (and counted by the caller).
 *   <li>The IPv4 id goes up by one per segment, as inet_gso_segment does without
 *       SKB_GSO_TCP_FIXEDID, which the virtio header cannot express.
 *   <li>DATA_VALID in flags is ignored: it only matters for packets written to the TUN.
 *   <li>A super-packet with no payload gives one segment with its headers fixed up.
 * </ul>
 *
 * <p>Everything is checked before the first byte is written, so a refused packet (-1) leaves dst
 * untouched; src is never modified (except by {@link #completeChecksum}, whose point that is).
 * Buffers must be big-endian (ByteBuffer's default); indices are absolute, limits are respected,
 * positions ignored, neither is moved, and nothing is allocated.
 */
public final class GsoSplitter {
    private GsoSplitter() {}

    static final int TCP_FIN = 0x01;
    static final int TCP_PSH = 0x08;
    static final int TCP_CWR = 0x80;
    /** Offset of the checksum in the TCP header (RFC 9293 3.1) and in the UDP header (RFC 768). */
    static final int TCP_CHECKSUM = 16;
    static final int UDP_CHECKSUM = 6;
    private static final int IPV4_HEADER_MIN = 20;
    private static final int IPV6_HEADER = 40;
    private static final int TCP_HEADER_MIN = 20;
    private static final int UDP_HEADER = 8;

    /**
     * Splits the packet read from the TUN at src[off, off + len) (len = 10 + the IP packet's
     * length) into complete IP packets: segment i at dst[dstOff + i * stride], its length in
     * lengths[i]. Returns the number of segments, or -1 (and dst untouched) when the packet is
     * malformed or of a kind we do not handle, or when the segments do not fit: one longer than
     * stride, more than lengths.length, or past dst's limit.
     */
    public static int split(ByteBuffer src, int off, int len, ByteBuffer dst, int dstOff, int stride, int[] lengths) {
        if (off < 0 || len <= VirtioNetHdr.LENGTH || off > src.limit() - len) return -1;
        if (dstOff < 0 || stride <= 0 || lengths.length == 0) return -1;
        int ip = off + VirtioNetHdr.LENGTH;
        int ipLen = len - VirtioNetHdr.LENGTH;
        int type = VirtioNetHdr.gsoType(src, off);
        return switch (type) {
            case VirtioNetHdr.GSO_NONE -> copyOne(src, off, ip, ipLen, dst, dstOff, stride, lengths);
            case VirtioNetHdr.GSO_TCPV4, VirtioNetHdr.GSO_TCPV4 | VirtioNetHdr.GSO_ECN ->
                    segment(src, off, ip, ipLen, 4, PROTOCOL_TCP, dst, dstOff, stride, lengths);
            case VirtioNetHdr.GSO_TCPV6, VirtioNetHdr.GSO_TCPV6 | VirtioNetHdr.GSO_ECN ->
                    segment(src, off, ip, ipLen, 6, PROTOCOL_TCP, dst, dstOff, stride, lengths);
            case VirtioNetHdr.GSO_UDP_L4 -> segment(src, off, ip, ipLen, 0, PROTOCOL_UDP, dst, dstOff, stride, lengths);
            default -> -1;
        };
    }

    /**
     * For a packet with gso_type NONE at b[off, off + len) (virtio header at off): completes its
     * transport checksum in place when the header says NEEDS_CSUM, and clears that flag so that a
     * second call changes nothing. Returns the IP packet's length (it starts at off + 10), or -1 when
     * the packet is a GSO one (use {@link #split}) or its checksum fields lie outside it.
     */
    public static int completeChecksum(ByteBuffer b, int off, int len) {
        if (off < 0 || len <= VirtioNetHdr.LENGTH || off > b.limit() - len) return -1;
        if (VirtioNetHdr.gsoType(b, off) != VirtioNetHdr.GSO_NONE) return -1;
        int ipLen = len - VirtioNetHdr.LENGTH;
        int flags = VirtioNetHdr.flags(b, off);
        if ((flags & VirtioNetHdr.FLAG_NEEDS_CSUM) == 0) return ipLen;
        int start = VirtioNetHdr.csumStart(b, off);
        int field = start + VirtioNetHdr.csumOffset(b, off);
        if (field > ipLen - 2) return -1;
        complete(b, off + VirtioNetHdr.LENGTH, ipLen, start, field);
        VirtioNetHdr.flags(b, off, flags & ~VirtioNetHdr.FLAG_NEEDS_CSUM);
        return ipLen;
    }

    private static int copyOne(ByteBuffer src, int off, int ip, int ipLen, ByteBuffer dst, int dstOff, int stride, int[] lengths) {
        if (ipLen > stride || dstOff > dst.limit() - ipLen) return -1;
        boolean needsCsum = (VirtioNetHdr.flags(src, off) & VirtioNetHdr.FLAG_NEEDS_CSUM) != 0;
        int start = VirtioNetHdr.csumStart(src, off);
        int field = start + VirtioNetHdr.csumOffset(src, off);
        if (needsCsum && field > ipLen - 2) return -1;
        dst.put(dstOff, src, ip, ipLen);
        if (needsCsum) complete(dst, dstOff, ipLen, start, field);
        lengths[0] = ipLen;
        return 1;
    }

    /**
     * CHECKSUM_PARTIAL (include/linux/skbuff.h): the field already holds the pseudo-header's sum,
     * so the checksum is the complement of the sum from start to the end, as skb_checksum_help.
     */
    private static void complete(ByteBuffer b, int ip, int ipLen, int start, int field) {
        long s = InternetChecksum.sum(b, ip + start, ipLen - start, 0);
        b.putShort(ip + field, checksumField(s));
    }

    private static short checksumField(long sum) {
        int c = ~InternetChecksum.fold(sum) & 0xffff;
        return (short) (c == 0 ? 0xffff : c);
    }

    /** version 0 means either (UDP_L4 is for both IPv4 and IPv6). */
    private static int segment(ByteBuffer src, int off, int ip, int ipLen, int version, int protocol,
                               ByteBuffer dst, int dstOff, int stride, int[] lengths) {
        int v = (src.get(ip) & 0xff) >>> 4;
        if (version != 0 && v != version) return -1;
        int ipHeader;
        int proto;
        if (v == 4) {
            if (ipLen < IPV4_HEADER_MIN) return -1;
            ipHeader = (src.get(ip) & 0x0f) * 4;
            if (ipHeader < IPV4_HEADER_MIN || ipHeader > ipLen) return -1;
            if ((src.getShort(ip + 6) & 0x3fff) != 0) return -1; // MF or a fragment offset (RFC 791 3.1)
            proto = src.get(ip + 9) & 0xff;
        } else if (v == 6) {
            if (ipLen < IPV6_HEADER) return -1;
            ipHeader = IPV6_HEADER;
            proto = src.get(ip + 6) & 0xff; // anything but TCP/UDP here is an extension header
        } else {
            return -1;
        }
        if (proto != protocol) return -1;
        boolean tcp = protocol == PROTOCOL_TCP;
        int l4Header;
        if (tcp) {
            if (ipHeader + TCP_HEADER_MIN > ipLen) return -1;
            l4Header = ((src.get(ip + ipHeader + 12) & 0xff) >>> 4) * 4; // data offset, RFC 9293 3.1
            if (l4Header < TCP_HEADER_MIN || ipHeader + l4Header > ipLen) return -1;
        } else {
            l4Header = UDP_HEADER;
            if (ipHeader + l4Header > ipLen) return -1;
        }
        int checksumAt = tcp ? TCP_CHECKSUM : UDP_CHECKSUM;
        if (VirtioNetHdr.hdrLen(src, off) > ipLen) return -1;
        if ((VirtioNetHdr.flags(src, off) & VirtioNetHdr.FLAG_NEEDS_CSUM) != 0
                && (VirtioNetHdr.csumStart(src, off) != ipHeader || VirtioNetHdr.csumOffset(src, off) != checksumAt)) {
            return -1;
        }
        int mss = VirtioNetHdr.gsoSize(src, off);
        if (mss == 0) return -1;

        int headers = ipHeader + l4Header;
        int payload = ipLen - headers;
        int count = payload == 0 ? 1 : (payload + mss - 1) / mss;
        int largest = headers + Math.min(mss, payload);
        int last = headers + payload - (count - 1) * mss;
        if (count > lengths.length || largest > stride || largest > Limits.MAX_IP_LENGTH) return -1;
        if ((long) dstOff + (long) (count - 1) * stride + last > dst.limit()) return -1;

        long pseudo = InternetChecksum.pseudoHeaderSum(src, ip, v, protocol, 0);
        int l4 = ip + ipHeader;
        int id = v == 4 ? src.getShort(ip + 4) & 0xffff : 0;
        int seq = tcp ? src.getInt(l4 + 4) : 0;
        int tcpFlags = tcp ? src.get(l4 + 13) & 0xff : 0;
        for (int i = 0; i < count; i++) {
            int at = dstOff + i * stride;
            int data = Math.min(mss, payload - i * mss);
            int length = headers + data;
            dst.put(at, src, ip, headers);
            dst.put(at + headers, src, ip + headers + i * mss, data);
            if (v == 4) {
                dst.putShort(at + 2, (short) length);
                dst.putShort(at + 4, (short) (id + i));
                InternetChecksum.ipv4HeaderChecksum(dst, at, ipHeader);
            } else {
                dst.putShort(at + 4, (short) (length - IPV6_HEADER));
            }
            int t = at + ipHeader;
            int l4Length = length - ipHeader;
            if (tcp) {
                dst.putInt(t + 4, seq + i * mss);
                int f = tcpFlags;
                if (i != count - 1) f &= ~(TCP_FIN | TCP_PSH);
                if (i != 0) f &= ~TCP_CWR;
                dst.put(t + 13, (byte) f);
            } else {
                dst.putShort(t + 4, (short) l4Length);
            }
            dst.putShort(t + checksumAt, (short) 0);
            dst.putShort(t + checksumAt, checksumField(InternetChecksum.sum(dst, t, l4Length, pseudo + l4Length)));
            lengths[i] = length;
        }
        return count;
    }
}
