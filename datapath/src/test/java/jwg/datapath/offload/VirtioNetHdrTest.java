package jwg.datapath.offload;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.ByteBuffer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class VirtioNetHdrTest {
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void fieldsAreWhereTheKernelPutsThemLittleEndian(boolean direct) {
        ByteBuffer b = Bytes.holding(new byte[0], 0, 16, direct, (byte) 0xee);
        int at = 3;
        VirtioNetHdr.flags(b, at, VirtioNetHdr.FLAG_NEEDS_CSUM);
        VirtioNetHdr.gsoType(b, at, VirtioNetHdr.GSO_TCPV6 | VirtioNetHdr.GSO_ECN);
        VirtioNetHdr.hdrLen(b, at, 0x0102);
        VirtioNetHdr.gsoSize(b, at, 0x05b4); // 1460
        VirtioNetHdr.csumStart(b, at, 0xfedc);
        VirtioNetHdr.csumOffset(b, at, 0x0010);
        assertEquals("eeeeee" + "01" + "84" + "0201" + "b405" + "dcfe" + "1000" + "eeeeee",
                Bytes.hex(Bytes.get(b, 0, 16)));
        assertEquals(1, VirtioNetHdr.flags(b, at));
        assertEquals(0x84, VirtioNetHdr.gsoType(b, at));
        assertEquals(0x0102, VirtioNetHdr.hdrLen(b, at));
        assertEquals(1460, VirtioNetHdr.gsoSize(b, at));
        assertEquals(0xfedc, VirtioNetHdr.csumStart(b, at), "16-bit fields are unsigned");
        assertEquals(16, VirtioNetHdr.csumOffset(b, at));
        assertEquals(0, b.position());
        assertEquals(16, b.limit());

        VirtioNetHdr.clear(b, at);
        assertEquals("eeeeee" + "00".repeat(VirtioNetHdr.LENGTH) + "eeeeee", Bytes.hex(Bytes.get(b, 0, 16)));
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void readsAHeaderAsLinuxWritesIt(boolean direct) {
        // A TSO header as tun_put_user writes it for an IPv4 TCP super-packet with MSS 1448.
        ByteBuffer b = Bytes.holding(Bytes.hex("0101" + "3400" + "a805" + "1400" + "1000"), 0, 10, direct, (byte) 0);
        assertEquals(VirtioNetHdr.FLAG_NEEDS_CSUM, VirtioNetHdr.flags(b, 0));
        assertEquals(VirtioNetHdr.GSO_TCPV4, VirtioNetHdr.gsoType(b, 0));
        assertEquals(52, VirtioNetHdr.hdrLen(b, 0));
        assertEquals(1448, VirtioNetHdr.gsoSize(b, 0));
        assertEquals(20, VirtioNetHdr.csumStart(b, 0));
        assertEquals(16, VirtioNetHdr.csumOffset(b, 0));
    }
}
