package jwg.datapath.ip;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * Reads the few IP header fields the datapath needs, in place and without allocating: the version,
 * where the source and destination addresses are, and the packet's real length (a decrypted
 * transport payload carries up to 15 bytes of zero padding, whitepaper 5.4.6, that must not reach
 * the tunnel). All offsets are absolute indices into the buffer.
 */
public final class IpPacket {
    private IpPacket() {}

    public static final int IPV4_HEADER_MIN = 20;
    public static final int IPV6_HEADER_LEN = 40;
    public static final int IPV4_SRC = 12;
    public static final int IPV4_DST = 16;
    public static final int IPV6_SRC = 8;
    public static final int IPV6_DST = 24;

    /** 4, 6, or 0 when the bytes at offset (len of them) are not a plausible IP header. */
    public static int version(ByteBuffer b, int offset, int len) {
        if (len < IPV4_HEADER_MIN) return 0;
        int v = (b.get(offset) & 0xff) >>> 4;
        if (v == 4) return 4;
        if (v == 6 && len >= IPV6_HEADER_LEN) return 6;
        return 0;
    }

    /**
     * The packet's length from its own header (IPv4 total length, IPv6 40 + payload length), or -1
     * when that length is shorter than the header or longer than the len bytes we hold.
     */
    public static int length(ByteBuffer b, int offset, int len, int version) {
        int l;
        if (version == 4) {
            l = b.getShort(offset + 2) & 0xffff;
            int ihl = (b.get(offset) & 0x0f) * 4;
            if (ihl < IPV4_HEADER_MIN || l < ihl) return -1;
        } else {
            l = IPV6_HEADER_LEN + (b.getShort(offset + 4) & 0xffff);
        }
        return l <= len ? l : -1;
    }

    public static int sourceOffset(int offset, int version) {
        return offset + (version == 4 ? IPV4_SRC : IPV6_SRC);
    }

    public static int destinationOffset(int offset, int version) {
        return offset + (version == 4 ? IPV4_DST : IPV6_DST);
    }

    private static final int UDP = 17;
    private static final int IPV6_FRAGMENT = 44;

    /**
     * Where the UDP header of the packet at offset (len bytes, a valid IP header of this version)
     * starts, or -1 when it is not UDP or not its first fragment: IPv4 with protocol 17 and
     * fragment offset 0; IPv6 with UDP next, or a fragment header of offset 0 and then UDP.
     */
    public static int udpHeaderOffset(ByteBuffer b, int offset, int len, int version) {
        int at;
        if (version == 4) {
            if ((b.get(offset + 9) & 0xff) != UDP || (b.getShort(offset + 6) & 0x1fff) != 0) return -1;
            at = offset + (b.get(offset) & 0x0f) * 4;
        } else {
            int next = b.get(offset + 6) & 0xff;
            at = offset + IPV6_HEADER_LEN;
            if (next == IPV6_FRAGMENT) {
                if (len < IPV6_HEADER_LEN + 8 || (b.getShort(at + 2) & 0xfff8) != 0) return -1;
                next = b.get(at) & 0xff;
                at += 8;
            }
            if (next != UDP) return -1;
        }
        return at + 8 <= offset + len ? at : -1;
    }

    /**
     * Whether the packet at offset is a UDP datagram (or its first fragment) from sourcePort to
     * to: how one of our own datagrams to a peer looks when the route to the peer's endpoint
     * leads back into our tunnel. Allocates only when both ports match.
     */
    public static boolean isUdp(ByteBuffer b, int offset, int len, int version, int sourcePort, InetSocketAddress to) {
        int udp = udpHeaderOffset(b, offset, len, version);
        if (udp < 0 || (b.getShort(udp) & 0xffff) != sourcePort || (b.getShort(udp + 2) & 0xffff) != to.getPort()) return false;
        byte[] a = to.getAddress().getAddress();
        if (a.length != (version == 4 ? 4 : 16)) return false;
        int dst = destinationOffset(offset, version);
        for (int i = 0; i < a.length; i++) {
            if (b.get(dst + i) != a[i]) return false;
        }
        return true;
    }
}
