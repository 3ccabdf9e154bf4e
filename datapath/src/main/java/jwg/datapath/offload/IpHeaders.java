package jwg.datapath.offload;

import java.nio.ByteBuffer;

/**
 * What the coalescers ({@link TcpCoalescer}, {@link UdpCoalescer}) check of the IP header: which
 * packets a super-packet may be made of, by the rules of the kernel's inet_gro_receive and
 * ipv6_gro_receive (net/ipv4/af_inet.c, net/ipv6/ip6_offload.c), and how its header is completed.
 * Buffers are big-endian; indices are absolute.
 */
final class IpHeaders {
    private IpHeaders() {}

    static final int IPV4_HEADER_MIN = 20;
    static final int IPV6_HEADER = 40;
    /** IPv4 flags and fragment offset without DF (RFC 791 3.1): reserved bit, MF, offset. */
    private static final int IPV4_NOT_DF = 0xbfff;
    private static final int IPV4_DF = 0x4000;

    /**
     * The IP header's length of the packet b[off, off + len) if it is a whole, unfragmented IPv4
     * packet or an IPv6 packet without extension headers, of the given transport protocol, whose
     * own length field says len; else -1.
     */
    static int headerLength(ByteBuffer b, int off, int len, int protocol) {
        if (len < IPV4_HEADER_MIN) return -1;
        int v = (b.get(off) & 0xff) >>> 4;
        if (v == 4) {
            int ih = (b.get(off) & 0x0f) * 4;
            if (ih < IPV4_HEADER_MIN || ih > len || (b.getShort(off + 2) & 0xffff) != len) return -1;
            if ((b.getShort(off + 6) & IPV4_NOT_DF) != 0 || (b.get(off + 9) & 0xff) != protocol) return -1;
            return ih;
        }
        if (v == 6) {
            if (len < IPV6_HEADER || IPV6_HEADER + (b.getShort(off + 4) & 0xffff) != len) return -1;
            return (b.get(off + 6) & 0xff) == protocol ? IPV6_HEADER : -1; // anything else: an extension header
        }
        return -1;
    }

    /**
     * Whether the IP header at b[off, off + ih) is the one segmentation would copy into every
     * segment of the pending packet whose header is out[at, at + ih): IPv4 version/IHL, TOS, DF,
     * TTL, addresses and options; IPv6 version, traffic class, flow label, hop limit and addresses.
     * (Not the IPv4 id: segmentation renumbers it.)
     */
    static boolean sameFlow(ByteBuffer b, int off, int ih, ByteBuffer out, int at) {
        if ((b.get(off) & 0xf0) == 0x40) {
            if (b.getShort(off) != out.getShort(at)) return false;
            if ((b.getShort(off + 6) & IPV4_DF) != (out.getShort(at + 6) & IPV4_DF)) return false;
            if (b.get(off + 8) != out.get(at + 8)) return false;
            if (b.getLong(off + 12) != out.getLong(at + 12)) return false;
            return same(b, off + IPV4_HEADER_MIN, out, at + IPV4_HEADER_MIN, ih - IPV4_HEADER_MIN);
        }
        if (b.getInt(off) != out.getInt(at)) return false;
        if (b.get(off + 7) != out.get(at + 7)) return false;
        return same(b, off + 8, out, at + 8, 32);
    }

    /** b[at, at + n) equals out[outAt, outAt + n); n is a multiple of 4 (IP and TCP options are). */
    static boolean same(ByteBuffer b, int at, ByteBuffer out, int outAt, int n) {
        for (int i = 0; i < n; i += 4) {
            if (b.getInt(at + i) != out.getInt(outAt + i)) return false;
        }
        return true;
    }

    /** Sets the length of the IP packet at out[at] (and the IPv4 header checksum) to ipLength. */
    static void setLength(ByteBuffer out, int at, int ih, int ipLength) {
        if ((out.get(at) & 0xf0) == 0x40) {
            out.putShort(at + 2, (short) ipLength);
            InternetChecksum.ipv4HeaderChecksum(out, at, ih);
        } else {
            out.putShort(at + 4, (short) (ipLength - IPV6_HEADER));
        }
    }
}
