package jwg.datapath.offload;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** GsoLayout sizes the buffer the splitter fills: it must agree with the splitter on every packet. */
class GsoLayoutTest {
    private static final int STRIDE = 1600;

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 1000, 1368, 1369, 4 * 1368, 47 * 1368 + 5, 65535 - 40 - 32})
    void agreesWithTheSplitterOnTcpAndUdp(int payload) {
        for (Packet template : List.of(tcp(4), tcp(6), udp(4), udp(6))) {
            template.payload = Packet.payload(payload, payload);
            if (template.build().length > 65535) continue;
            int mss = template.isTcp() ? 1368 : 1392;
            byte[] input = Gso.superPacket(template, mss);
            ByteBuffer in = ByteBuffer.wrap(input);
            int count = GsoLayout.segmentCount(in, 0, input.length);
            int length = GsoLayout.segmentLength(in, 0, input.length);
            ByteBuffer dst = ByteBuffer.allocateDirect(count * STRIDE);
            int[] lengths = new int[64];
            int n = GsoSplitter.split(in, 0, input.length, dst, 0, STRIDE, lengths);
            String what = (template.isTcp() ? "TCP" : "UDP") + "/IPv" + template.version + " payload " + payload;
            assertEquals(Gso.expectedSegments(template, mss).size(), count, what);
            assertEquals(n, count, what);
            assertEquals(lengths[0], Math.min(length, input.length - VirtioNetHdr.LENGTH), what);
            for (int i = 0; i < n - 1; i++) assertEquals(length, lengths[i], what + " segment " + i);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {4, 6})
    void theEcnBitDoesNotChangeTheLayout(int version) {
        Packet p = tcp(version);
        p.payload = Packet.payload(5000, 1);
        byte[] input = Gso.superPacket(p, 1000);
        input[1] |= (byte) VirtioNetHdr.GSO_ECN;
        ByteBuffer in = ByteBuffer.wrap(input);
        assertEquals(5, GsoLayout.segmentCount(in, 0, input.length));
        assertEquals(p.headersLength() + 1000, GsoLayout.segmentLength(in, 0, input.length));
    }

    @ParameterizedTest
    @ValueSource(ints = {VirtioNetHdr.GSO_UDP, 2, 6, 0x7f})
    void otherGsoTypesAndGsoSizeZeroAreRefused(int type) {
        Packet p = tcp(4);
        p.payload = Packet.payload(3000, 2);
        byte[] input = Gso.superPacket(p, 1000);
        input[1] = (byte) type;
        assertEquals(-1, GsoLayout.segmentCount(ByteBuffer.wrap(input), 0, input.length));
        assertEquals(-1, GsoLayout.segmentLength(ByteBuffer.wrap(input), 0, input.length));
        byte[] zero = Gso.superPacket(p, 0);
        assertEquals(-1, GsoLayout.segmentCount(ByteBuffer.wrap(zero), 0, zero.length));
    }

    @ParameterizedTest
    @ValueSource(ints = {4, 6})
    void aSinglePacketIsOneSegmentOfItsOwnLength(int version) {
        Packet p = tcp(version);
        p.payload = Packet.payload(100, 3);
        byte[] ip = p.build();
        byte[] input = Bytes.concat(new byte[VirtioNetHdr.LENGTH], ip);
        assertEquals(1, GsoLayout.segmentCount(ByteBuffer.wrap(input), 0, input.length));
        assertEquals(ip.length, GsoLayout.segmentLength(ByteBuffer.wrap(input), 0, input.length));
    }

    private static Packet tcp(int version) {
        Packet p = version == 4 ? Packet.tcp4() : Packet.tcp6();
        p.tcpOptions = Packet.timestamps(1, 2);
        return p;
    }

    private static Packet udp(int version) {
        return version == 4 ? Packet.udp4() : Packet.udp6();
    }
}
