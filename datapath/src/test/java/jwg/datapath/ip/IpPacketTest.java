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
}
