package jwg.testing;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.nio.ByteBuffer;

/** Builds and checks IPv4/ICMP and IPv6/ICMPv6 echo packets (network byte order) for tests. */
public final class Packets {
    private Packets() {}

    public static final int PROTO_ICMP = 1;
    public static final int PROTO_ICMPV6 = 58;
    public static final int ICMP_ECHO_REPLY = 0;
    public static final int ICMP_ECHO_REQUEST = 8;
    public static final int ICMPV6_ECHO_REQUEST = 128;
    public static final int ICMPV6_ECHO_REPLY = 129;

    /** The Internet checksum (RFC 1071) of {@code data[off, off + len)}, starting from {@code sum}. */
    public static int checksum(byte[] data, int off, int len, long sum) {
        for (int i = 0; i + 1 < len; i += 2) {
            sum += ((data[off + i] & 0xff) << 8) | (data[off + i + 1] & 0xff);
        }
        if ((len & 1) != 0) {
            sum += (data[off + len - 1] & 0xff) << 8;
        }
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        return (int) (~sum & 0xffff);
    }

    /** An IPv4 ICMP echo request from {@code src} to {@code dst}, with both checksums. */
    public static byte[] icmpEcho(Inet4Address src, Inet4Address dst, int id, int sequence, byte[] payload) {
        int icmpLen = 8 + payload.length;
        ByteBuffer b = ByteBuffer.allocate(20 + icmpLen);
        b.put((byte) 0x45).put((byte) 0).putShort((short) (20 + icmpLen))
                .putShort((short) 0x1234).putShort((short) 0x4000) // id, DF
                .put((byte) 64).put((byte) PROTO_ICMP).putShort((short) 0)
                .put(src.getAddress()).put(dst.getAddress());
        b.put((byte) ICMP_ECHO_REQUEST).put((byte) 0).putShort((short) 0)
                .putShort((short) id).putShort((short) sequence).put(payload);
        byte[] packet = b.array();
        ByteBuffer.wrap(packet).putShort(10, (short) checksum(packet, 0, 20, 0));
        ByteBuffer.wrap(packet).putShort(22, (short) checksum(packet, 20, icmpLen, 0));
        return packet;
    }

    /** An ICMPv6 echo request from {@code src} to {@code dst}, checksummed over the pseudo-header. */
    public static byte[] icmpv6Echo(Inet6Address src, Inet6Address dst, int id, int sequence, byte[] payload) {
        int icmpLen = 8 + payload.length;
        ByteBuffer b = ByteBuffer.allocate(40 + icmpLen);
        b.putInt(0x60000000).putShort((short) icmpLen).put((byte) PROTO_ICMPV6).put((byte) 64)
                .put(src.getAddress()).put(dst.getAddress());
        b.put((byte) ICMPV6_ECHO_REQUEST).put((byte) 0).putShort((short) 0)
                .putShort((short) id).putShort((short) sequence).put(payload);
        byte[] packet = b.array();
        ByteBuffer.wrap(packet).putShort(42, (short) icmpv6Checksum(packet));
        return packet;
    }

    /** The ICMPv6 checksum of an IPv6 packet without extension headers (checksum field included as is). */
    public static int icmpv6Checksum(byte[] packet) {
        int icmpLen = packet.length - 40;
        long sum = 0;
        for (int i = 8; i < 40; i += 2) { // source and destination addresses
            sum += ((packet[i] & 0xff) << 8) | (packet[i + 1] & 0xff);
        }
        sum += icmpLen + PROTO_ICMPV6;
        return checksum(packet, 40, icmpLen, sum);
    }
}
