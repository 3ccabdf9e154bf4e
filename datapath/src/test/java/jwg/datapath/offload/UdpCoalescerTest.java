package jwg.datapath.offload;

import static jwg.datapath.offload.Coalescing.*;
import static org.junit.jupiter.api.Assertions.*;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class UdpCoalescerTest {
    private static UdpCoalescer coalescer(boolean direct) {
        return new UdpCoalescer(Bytes.allocate(UdpCoalescer.MIN_CAPACITY, direct));
    }

    private static Packet flow(int version) {
        Packet p = version == 4 ? Packet.udp4() : Packet.udp6();
        p.payload = Packet.payload(1200, 1);
        return p;
    }

    /** The next datagram of p's flow (IPv4 id up by one), with length bytes of payload. */
    private static Packet next(Packet p, int length) {
        Packet n = p.copy();
        n.id = (p.id + 1) & 0xffff;
        n.payload = Packet.payload(length, n.id);
        return n;
    }

    @ParameterizedTest
    @ValueSource(ints = {4, 6})
    void datagramsOfAUsoSuperPacketCoalesceBackIntoIt(int version) {
        for (int payload : new int[] {2 * 1392, 10_000, 47 * 1392, 1393}) {
            for (boolean direct : new boolean[] {false, true}) {
                Packet p = flow(version);
                p.payload = Packet.payload(payload, 3);
                byte[] original = Gso.superPacket(p, 1392);
                List<byte[]> datagrams = Gso.expectedSegments(p, 1392);
                assertTrue(datagrams.size() > 1);
                UdpCoalescer c = coalescer(direct);
                for (byte[] d : datagrams) assertTrue(add(c, d, !direct));
                byte[] written = finish(c);
                ByteBuffer w = ByteBuffer.wrap(written);
                assertEquals(VirtioNetHdr.FLAG_NEEDS_CSUM, VirtioNetHdr.flags(w, 0));
                assertEquals(VirtioNetHdr.GSO_UDP_L4, VirtioNetHdr.gsoType(w, 0));
                assertEquals(p.headersLength(), VirtioNetHdr.hdrLen(w, 0));
                assertEquals(1392, VirtioNetHdr.gsoSize(w, 0));
                assertEquals(p.ipHeaderLength(), VirtioNetHdr.csumStart(w, 0));
                assertEquals(6, VirtioNetHdr.csumOffset(w, 0));
                byte[] ip = Arrays.copyOfRange(written, VirtioNetHdr.LENGTH, written.length);
                assertEquals(Naive.pseudoSum(ip), ByteBuffer.wrap(ip).getShort(p.ipHeaderLength() + 6) & 0xffff,
                        "CHECKSUM_PARTIAL: the pseudo-header sum, not complemented");
                assertEquals(ip.length - p.ipHeaderLength(), ByteBuffer.wrap(ip).getShort(p.ipHeaderLength() + 4) & 0xffff, "UDP length");
                if (version == 4) assertTrue(Naive.ipv4HeaderValid(ip));
                assertEquals(Bytes.hex(original), Bytes.hex(written), payload + " bytes: as Linux hands a USO packet to a TUN");
                List<byte[]> again = resplit(written);
                assertEquals(datagrams.size(), again.size());
                for (int i = 0; i < datagrams.size(); i++) assertArrayEquals(datagrams.get(i), again.get(i), "datagram " + i);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {4, 6})
    void oneDatagramIsWrittenAsItCame(int version) {
        byte[] ip = flow(version).build();
        UdpCoalescer c = coalescer(true);
        c.out().put(0, new byte[] {9, 9, 9, 9, 9, 9, 9, 9, 9, 9});
        assertTrue(add(c, ip, true));
        assertEquals(Bytes.hex(new byte[VirtioNetHdr.LENGTH]) + Bytes.hex(ip), Bytes.hex(finish(c)));
        assertEquals(0, c.finish(), "finish resets");
    }

    @Test
    void coalescingAllocatesNothing() {
        List<byte[]> datagrams = new ArrayList<>();
        for (Packet p = flow(4); datagrams.size() < 10; p = next(p, 1200)) datagrams.add(p.build());
        long bytes = allocatedPer20000Rounds(coalescer(true), datagrams, VirtioNetHdr.LENGTH + 20 + 8 + 10 * 1200);
        assertTrue(bytes < 20_000, bytes + " bytes allocated in 20000 rounds");
    }

    /** After a first datagram, one changed by change is refused, and stays out. */
    private static void refusedAfterFirst(int version, Consumer<Packet> change) {
        Packet a = flow(version);
        Packet b = next(a, 1200);
        change.accept(b);
        UdpCoalescer c = coalescer(false);
        assertTrue(add(c, a.build(), true));
        assertFalse(add(c, b.build(), true));
        assertArrayEquals(Bytes.concat(new byte[VirtioNetHdr.LENGTH], a.build()), finish(c), "the pending datagram is unchanged");
    }

    @ParameterizedTest
    @ValueSource(ints = {4, 6})
    void anotherFlowOrDifferentHeadersAreRefused(int version) {
        refusedAfterFirst(version, b -> b.srcPort++);
        refusedAfterFirst(version, b -> b.dstPort++);
        refusedAfterFirst(version, b -> {
            b.dst = b.dst.clone(); // copy() shares the arrays
            b.dst[b.dst.length - 1]++;
        });
        refusedAfterFirst(version, b -> b.ttl--);
        refusedAfterFirst(version, b -> b.tos = 4);
        refusedAfterFirst(version, b -> b.payload = Packet.payload(1201, 9)); // longer than the first
        if (version == 6) refusedAfterFirst(version, b -> b.flowLabel ^= 1);
        if (version == 4) refusedAfterFirst(version, b -> b.fragmentField = 0); // DF differs
    }

    @ParameterizedTest
    @ValueSource(ints = {4, 6})
    void nothingFollowsAShorterDatagram(int version) {
        Packet a = flow(version);
        Packet shorter = next(a, 100);
        UdpCoalescer c = coalescer(true);
        assertTrue(add(c, a.build(), false));
        assertTrue(add(c, shorter.build(), false));
        assertFalse(add(c, next(shorter, 100).build(), false));
        List<byte[]> again = resplit(finish(c));
        assertArrayEquals(a.build(), again.get(0));
        assertArrayEquals(shorter.build(), again.get(1));
    }

    @Test
    void datagramsThatCannotGoInASuperPacketGoAlone() {
        Packet empty = flow(4);
        empty.payload = new byte[0];
        Packet noChecksum = flow(4);
        noChecksum.checksum = Packet.Checksum.GIVEN;
        noChecksum.checksumValue = 0;
        Packet fragment = flow(4);
        fragment.fragmentField = 0x2000; // MF
        Packet tcp = flow(4);
        tcp.protocol = 6;
        for (Packet p : List.of(empty, noChecksum, fragment, tcp)) {
            UdpCoalescer c = coalescer(true);
            assertFalse(add(c, p.build(), true));
            assertFalse(c.hasPending());
        }
        UdpCoalescer c = coalescer(true);
        byte[] ip = flow(4).build();
        assertFalse(c.add(ByteBuffer.wrap(ip), 0, ip.length - 1), "a length that disagrees with the IP header's");
    }

    @Test
    void aSuperPacketStopsAtSixtyFourDatagramsAndSixtyFourKilobytes() {
        Packet p = flow(4);
        p.payload = Packet.payload(100, 1);
        UdpCoalescer c = coalescer(true);
        for (int i = 0; i < 64; i++) {
            assertTrue(add(c, p.build(), true), "datagram " + i);
            p = next(p, 100);
        }
        assertFalse(add(c, p.build(), true), "a 65th");
        c.finish();
        p.payload = Packet.payload(1472, 1);
        int taken = 0;
        while (add(c, p.build(), true)) {
            taken++;
            p = next(p, 1472);
        }
        assertEquals((65535 - 28) / 1472, taken, "as many as fit in 65535 bytes of IP packet");
    }
}
