package jwg.datapath.ip;

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
}
