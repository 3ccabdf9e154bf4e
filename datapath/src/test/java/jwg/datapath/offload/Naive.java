package jwg.datapath.offload;

import java.nio.ByteBuffer;

/**
 * The reference the tests check against: RFC 1071's checksum the slow, obvious way, one 16-bit
 * word at a time with the carry added back after each addition (RFC 1071 4.1), and the
 * pseudo-headers laid out byte by byte from RFC 9293 3.1 and RFC 8200 8.1. Shares no code with
 * {@link InternetChecksum}.
 */
final class Naive {
    private Naive() {}

    /** The folded ones-complement sum of data[off, off + len) added to initial (16 bits). */
    static int sum(byte[] data, int off, int len, int initial) {
        int s = initial;
        for (int i = 0; i < len; i += 2) {
            int hi = data[off + i] & 0xff;
            int lo = i + 1 < len ? data[off + i + 1] & 0xff : 0;
            s += (hi << 8) | lo;
            s = (s & 0xffff) + (s >>> 16);
        }
        return s;
    }

    static int sum(ByteBuffer b, int off, int len, int initial) {
        byte[] d = new byte[len];
        for (int i = 0; i < len; i++) d[i] = b.get(off + i);
        return sum(d, 0, len, initial);
    }

    static int checksum(byte[] data, int off, int len) {
        return ~sum(data, off, len, 0) & 0xffff;
    }

    static int ipHeaderLength(byte[] ip) {
        return (ip[0] & 0xf0) == 0x40 ? (ip[0] & 0x0f) * 4 : 40;
    }

    static int protocol(byte[] ip) {
        return (ip[0] & 0xf0) == 0x40 ? ip[9] & 0xff : ip[6] & 0xff;
    }

    /** The pseudo-header of the TCP/UDP segment in ip, as the RFCs draw it. */
    static byte[] pseudoHeader(byte[] ip, int protocol, int l4Length) {
        if ((ip[0] & 0xf0) == 0x40) {
            byte[] p = new byte[12];
            System.arraycopy(ip, 12, p, 0, 8); // source, destination
            p[8] = 0;
            p[9] = (byte) protocol;
            p[10] = (byte) (l4Length >>> 8);
            p[11] = (byte) l4Length;
            return p;
        }
        byte[] p = new byte[40];
        System.arraycopy(ip, 8, p, 0, 32);
        p[32] = (byte) (l4Length >>> 24);
        p[33] = (byte) (l4Length >>> 16);
        p[34] = (byte) (l4Length >>> 8);
        p[35] = (byte) l4Length;
        p[39] = (byte) protocol;
        return p;
    }

    /** The folded pseudo-header sum for ip's transport segment (all of ip after its header). */
    static int pseudoSum(byte[] ip) {
        int l4Length = ip.length - ipHeaderLength(ip);
        byte[] p = pseudoHeader(ip, protocol(ip), l4Length);
        return sum(p, 0, p.length, 0);
    }

    /** A receiver's check (RFC 1071 1(4)): the sum over pseudo-header and segment is all ones. */
    static boolean transportChecksumValid(byte[] ip) {
        int h = ipHeaderLength(ip);
        return sum(ip, h, ip.length - h, pseudoSum(ip)) == 0xffff;
    }

    static boolean ipv4HeaderValid(byte[] ip) {
        return sum(ip, 0, ipHeaderLength(ip), 0) == 0xffff;
    }
}
