package jwg.datapath.ip;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.ByteBuffer;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class IpPacketTest {
    // An ICMP echo request 10.0.0.1 -> 10.0.0.2, 84 bytes, as ping sends it.
    private static final byte[] V4 = HexFormat.of().parseHex(
            "45000054f2e340004001339b0a0000010a000002" + "08000000".repeat(16));

    @Test
    void ipv4Fields() {
        ByteBuffer b = ByteBuffer.allocateDirect(200);
        b.put(5, V4);
        assertEquals(4, IpPacket.version(b, 5, V4.length));
        assertEquals(84, IpPacket.length(b, 5, V4.length + 12, 4), "padding after the packet is not part of it");
        assertEquals(0x0a000001, b.getInt(IpPacket.sourceOffset(5, 4)));
        assertEquals(0x0a000002, b.getInt(IpPacket.destinationOffset(5, 4)));
    }

    @Test
    void truncatedOrLyingHeadersAreRejected() {
        ByteBuffer b = ByteBuffer.wrap(V4.clone());
        assertEquals(-1, IpPacket.length(b, 0, 60, 4), "header claims more than we hold");
        b.put(0, (byte) 0x44); // IHL 16 bytes < minimum
        assertEquals(-1, IpPacket.length(b, 0, V4.length, 4));
        assertEquals(0, IpPacket.version(b, 0, 19));
        b.put(0, (byte) 0x65);
        assertEquals(0, IpPacket.version(b, 0, 39), "IPv6 needs 40 bytes");
        b.put(0, (byte) 0x15);
        assertEquals(0, IpPacket.version(b, 0, V4.length), "version 1 is not IP");
    }

    @Test
    void ipv6Fields() {
        ByteBuffer b = ByteBuffer.allocate(100);
        b.put(0, (byte) 0x60);
        b.putShort(4, (short) 8); // payload length
        b.putLong(8, 0xfd00000000000000L).putLong(16, 1);
        b.putLong(24, 0xfd00000000000000L).putLong(32, 2);
        assertEquals(6, IpPacket.version(b, 0, 64));
        assertEquals(48, IpPacket.length(b, 0, 64, 6));
        assertEquals(-1, IpPacket.length(b, 0, 47, 6));
        assertEquals(1, b.getLong(IpPacket.sourceOffset(0, 6) + 8));
        assertEquals(2, b.getLong(IpPacket.destinationOffset(0, 6) + 8));
    }

    // A UDP datagram 10.9.0.1:51820 -> 10.9.0.2:7 with 4 bytes of payload, as our socket sends it into a TUN.
    private static final byte[] UDP4 = HexFormat.of().parseHex(
            "450000200000400040110000" + "0a0900010a090002" + "ca6c0007000c0000" + "04000000");

    @Test
    void ourOwnUdpDatagramToTheEndpointIsRecognised() throws Exception {
        java.net.InetSocketAddress endpoint = new java.net.InetSocketAddress("10.9.0.2", 7);
        ByteBuffer b = ByteBuffer.allocateDirect(100);
        b.put(3, UDP4);
        assertEquals(23, IpPacket.udpHeaderOffset(b, 3, UDP4.length, 4));
        assertTrue(IpPacket.isUdp(b, 3, UDP4.length, 4, 51820, endpoint));
        assertFalse(IpPacket.isUdp(b, 3, UDP4.length, 4, 51821, endpoint), "another source port");
        assertFalse(IpPacket.isUdp(b, 3, UDP4.length, 4, 51820, new java.net.InetSocketAddress("10.9.0.2", 8)), "another port");
        assertFalse(IpPacket.isUdp(b, 3, UDP4.length, 4, 51820, new java.net.InetSocketAddress("10.9.0.3", 7)), "another address");
        assertFalse(IpPacket.isUdp(b, 3, UDP4.length, 4, 51820, new java.net.InetSocketAddress("fd09::2", 7)), "another family");
        assertFalse(IpPacket.isUdp(b, 3, 27, 4, 51820, endpoint), "no whole UDP header");
        b.putShort(3 + 6, (short) 0x2001); // MF, offset 8: a later fragment has no UDP header
        assertEquals(-1, IpPacket.udpHeaderOffset(b, 3, UDP4.length, 4));
        b.putShort(3 + 6, (short) 0x2000); // MF, offset 0: the first fragment has it
        assertTrue(IpPacket.isUdp(b, 3, UDP4.length, 4, 51820, endpoint));
        b.put(3 + 9, (byte) 6);
        assertEquals(-1, IpPacket.udpHeaderOffset(b, 3, UDP4.length, 4), "TCP");
    }

    @Test
    void ourOwnUdpDatagramOverIpv6IsRecognisedWithAndWithoutAFragmentHeader() throws Exception {
        java.net.InetSocketAddress endpoint = new java.net.InetSocketAddress("fd09::2", 7);
        ByteBuffer b = ByteBuffer.allocate(100);
        b.put(0, (byte) 0x60).putShort(4, (short) 12).put(6, (byte) 17);
        b.putLong(8, 0xfd09000000000000L).putLong(16, 1).putLong(24, 0xfd09000000000000L).putLong(32, 2);
        b.putShort(40, (short) 51820).putShort(42, (short) 7).putShort(44, (short) 12);
        assertTrue(IpPacket.isUdp(b, 0, 52, 6, 51820, endpoint));
        assertFalse(IpPacket.isUdp(b, 0, 52, 6, 51820, new java.net.InetSocketAddress("10.9.0.2", 7)), "another family");
        // the same behind a fragment header (first fragment, M set), then as a later fragment
        b.put(6, (byte) 44).put(40, (byte) 17).put(41, (byte) 0).putShort(42, (short) 1).putInt(44, 0x1234);
        b.putShort(48, (short) 51820).putShort(50, (short) 7).putShort(52, (short) 12);
        assertEquals(48, IpPacket.udpHeaderOffset(b, 0, 60, 6));
        assertTrue(IpPacket.isUdp(b, 0, 60, 6, 51820, endpoint));
        b.putShort(42, (short) (185 << 3));
        assertEquals(-1, IpPacket.udpHeaderOffset(b, 0, 60, 6), "a later fragment");
        b.put(6, (byte) 6);
        assertEquals(-1, IpPacket.udpHeaderOffset(b, 0, 60, 6), "TCP");
    }
}
