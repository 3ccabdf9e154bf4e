package jwg.datapath.ip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;

/**
 * Fuzz target (for jwg.datapath.DatapathFuzzTest) of the IP header reads on a decrypted packet:
 * the packet sits at an offset of a buffer that ends where the packet ends, so that any read past
 * it throws; the answers equal RFC 791's and RFC 8200's rules written out here, and do not depend
 * on the bytes before the packet.
 */
public final class IpPacketFuzz {
    private IpPacketFuzz() {}

    private static final InetSocketAddress TO4 = address("10.0.0.2", 51820);
    private static final InetSocketAddress TO6 = address("fd00::2", 51820);

    public static void run(FuzzedDataProvider data) {
        int offset = data.consumeInt(0, 16);
        byte fill = data.consumeByte();
        byte[] p = data.consumeRemainingAsBytes();
        ByteBuffer b = ByteBuffer.allocate(offset + p.length);
        for (int i = 0; i < offset; i++) b.put(i, fill);
        b.put(offset, p);
        int len = p.length;

        int version = IpPacket.version(b, offset, len);
        int v = len == 0 ? 0 : (p[0] & 0xff) >>> 4;
        assertEquals(len >= 20 && v == 4 ? 4 : len >= 40 && v == 6 ? 6 : 0, version, "version");
        if (version == 0) return;
        int length = IpPacket.length(b, offset, len, version);
        int said = version == 4 ? (p[2] & 0xff) << 8 | p[3] & 0xff : 40 + ((p[4] & 0xff) << 8 | p[5] & 0xff);
        int header = version == 4 ? (p[0] & 0x0f) * 4 : 40;
        boolean plausible = header >= 20 && said >= header && said <= len;
        assertEquals(plausible ? said : -1, length, "length");
        int udp = IpPacket.udpHeaderOffset(b, offset, len, version);
        assertTrue(udp == -1 || (udp >= offset + header && udp + 8 <= offset + len), "the UDP header lies inside the packet");
        IpPacket.isUdp(b, offset, len, version, 51820, version == 4 ? TO4 : TO6);
    }

    private static InetSocketAddress address(String ip, int port) {
        try {
            return new InetSocketAddress(InetAddress.getByName(ip), port);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
