package jwg.datapath.offload;

import static jwg.datapath.offload.Coalescing.*;
import static org.junit.jupiter.api.Assertions.*;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import jwg.datapath.Limits;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TcpCoalescerTest {
    private static TcpCoalescer coalescer(boolean direct) {
        return new TcpCoalescer(Bytes.allocate(TcpCoalescer.MIN_CAPACITY, direct));
    }

    private static Packet flow(int version) {
        Packet p = version == 4 ? Packet.tcp4() : Packet.tcp6();
        p.tcpOptions = Packet.timestamps(0x11223344, 0x55667788);
        p.payload = Packet.payload(1000, 1);
        return p;
    }

    /** The segment that follows p in its flow, with a payload of length bytes. */
    private static Packet next(Packet p, int length) {
        Packet n = p.copy();
        n.seq = p.seq + p.payload.length;
        n.id = (p.id + 1) & 0xffff;
        n.payload = Packet.payload(length, n.seq);
        return n;
    }

    private static Packet next(Packet p) {
        return next(p, p.payload.length);
    }

    // --- the round trip

    @ParameterizedTest
    @ValueSource(ints = {4, 6})
    void segmentsOfASuperPacketCoalesceBackIntoIt(int version) {
        for (int payload : new int[] {10_000, 4 * 1448, 45 * 1448, 1449}) {
            for (boolean direct : new boolean[] {false, true}) {
                Packet p = flow(version);
                p.flags = Packet.ACK | Packet.PSH;
                p.payload = Packet.payload(payload, 2);
                byte[] original = Gso.superPacket(p, 1448);
                List<byte[]> segments = resplit(original);
                assertTrue(segments.size() > 1);
                TcpCoalescer c = coalescer(direct);
                for (byte[] s : segments) assertTrue(add(c, s, !direct));
                assertTrue(c.hasPending());
                byte[] written = finish(c);
                // Field by field, then the whole: the original is as Linux hands a TSO packet to a TUN.
                ByteBuffer w = ByteBuffer.wrap(written);
                assertEquals(VirtioNetHdr.FLAG_NEEDS_CSUM, VirtioNetHdr.flags(w, 0));
                assertEquals(version == 4 ? VirtioNetHdr.GSO_TCPV4 : VirtioNetHdr.GSO_TCPV6, VirtioNetHdr.gsoType(w, 0));
                assertEquals(p.headersLength(), VirtioNetHdr.hdrLen(w, 0));
                assertEquals(1448, VirtioNetHdr.gsoSize(w, 0));
                assertEquals(p.ipHeaderLength(), VirtioNetHdr.csumStart(w, 0));
                assertEquals(16, VirtioNetHdr.csumOffset(w, 0));
                byte[] ip = Arrays.copyOfRange(written, VirtioNetHdr.LENGTH, written.length);
                assertEquals(Naive.pseudoSum(ip), ByteBuffer.wrap(ip).getShort(p.ipHeaderLength() + 16) & 0xffff,
                        "CHECKSUM_PARTIAL: the pseudo-header sum, not complemented");
                if (version == 4) {
                    assertTrue(Naive.ipv4HeaderValid(ip));
                    assertEquals(ip.length, ByteBuffer.wrap(ip).getShort(2) & 0xffff);
                } else {
                    assertEquals(ip.length - 40, ByteBuffer.wrap(ip).getShort(4) & 0xffff);
                }
                assertEquals(Packet.ACK | Packet.PSH, ip[p.ipHeaderLength() + 13], "PSH from the last segment");
                assertEquals(Bytes.hex(original), Bytes.hex(written), payload + " bytes");
                List<byte[]> again = resplit(written);
                assertEquals(segments.size(), again.size());
                for (int i = 0; i < segments.size(); i++) assertArrayEquals(segments.get(i), again.get(i));
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {4, 6})
    void oneSegmentIsWrittenAsItCame(int version) {
        Packet p = flow(version);
        p.flags = Packet.ACK | Packet.PSH;
        p.checksum = Packet.Checksum.GIVEN;
        p.checksumValue = 0x1234; // even a wrong checksum is left for the kernel to judge
        byte[] ip = p.build();
        for (boolean direct : new boolean[] {false, true}) {
            TcpCoalescer c = coalescer(direct);
            c.out().put(0, new byte[] {9, 9, 9, 9, 9, 9, 9, 9, 9, 9});
            assertTrue(add(c, ip));
            assertEquals(Bytes.hex(new byte[VirtioNetHdr.LENGTH]) + Bytes.hex(ip), Bytes.hex(finish(c)));
        }
    }

    @Test
    void finishWithNothingPendingWritesNothing() {
        TcpCoalescer c = coalescer(true);
        assertFalse(c.hasPending());
        assertEquals(0, c.finish());
        assertTrue(add(c, flow(4).build()));
        assertTrue(c.hasPending());
        assertTrue(c.finish() > 0);
        assertEquals(0, c.finish(), "finish resets");
    }

    @Test
    void theOutBufferMustBeLargeEnoughAndBigEndian() {
        assertThrows(IllegalArgumentException.class, () -> new TcpCoalescer(ByteBuffer.allocateDirect(TcpCoalescer.MIN_CAPACITY - 1)));
        assertThrows(IllegalArgumentException.class, () -> new TcpCoalescer(ByteBuffer.allocateDirect(TcpCoalescer.MIN_CAPACITY + 8).limit(100)));
        assertThrows(IllegalArgumentException.class,
                () -> new TcpCoalescer(ByteBuffer.allocateDirect(TcpCoalescer.MIN_CAPACITY).order(ByteOrder.LITTLE_ENDIAN)));
        assertEquals(10 + 65535, TcpCoalescer.MIN_CAPACITY);
    }

    @Test
    void coalescingAllocatesNothing() {
        List<byte[]> segments = new ArrayList<>();
        for (Packet p = flow(6); segments.size() < 10; p = next(p)) segments.add(p.build());
        long bytes = allocatedPer20000Rounds(coalescer(true), segments, VirtioNetHdr.LENGTH + 40 + 32 + 10 * 1000);
        assertTrue(bytes < 20_000, bytes + " bytes allocated in 20000 rounds");
    }

    // --- merges that are allowed

    @ParameterizedTest
    @ValueSource(ints = {4, 6})
    void aShorterAndPushedLastSegmentIsTaken(int version) {
        Packet a = flow(version);
        Packet b = next(a);
        Packet last = next(b, 10);
        last.flags = Packet.ACK | Packet.PSH;
        TcpCoalescer c = coalescer(false);
        assertTrue(add(c, a.build()));
        assertTrue(add(c, b.build()));
        assertTrue(add(c, last.build()));
        byte[] written = finish(c);
        assertEquals(VirtioNetHdr.LENGTH + a.headersLength() + 2010, written.length);
        assertEquals(1000, VirtioNetHdr.gsoSize(ByteBuffer.wrap(written), 0));
        List<byte[]> again = resplit(written);
        assertArrayEquals(a.build(), again.get(0));
        assertArrayEquals(b.build(), again.get(1));
        assertArrayEquals(last.build(), again.get(2));
    }

    @Test
    void ipv4WithoutDfAndWithEqualOptionsIsTaken() {
        Packet a = flow(4);
        a.fragmentField = 0;
        a.ipOptions = new byte[] {1, 1, 1, 0};
        Packet b = next(a);
        TcpCoalescer c = coalescer(true);
        assertTrue(add(c, a.build()));
        assertTrue(add(c, b.build()));
        List<byte[]> again = resplit(finish(c));
        assertArrayEquals(a.build(), again.get(0));
        assertArrayEquals(b.build(), again.get(1));
    }

    /**
     * What DatapathFuzzTest ran into: without URG the urgent pointer means nothing (RFC 9293
     * 3.1), and, as the kernel's tcp_gro_receive, the coalescer does not compare it; the
     * segments then get the first one's, as segmentation copies its header.
     */
    @Test
    void anUrgentPointerWithoutUrgIsNotCompared() {
        Packet a = flow(4);
        Packet b = next(a);
        b.urgent = 54;
        TcpCoalescer c = coalescer(true);
        assertTrue(add(c, a.build()));
        assertTrue(add(c, b.build()));
        List<byte[]> again = resplit(finish(c));
        b.urgent = 0;
        assertArrayEquals(a.build(), again.get(0));
        assertArrayEquals(b.build(), again.get(1));
    }

    // --- merges that are refused: each rule alone

    /**
     * After the segments of prefix, change(next) must be refused, leaving the pending packet exactly
     * as it was, while next itself is taken: so the refusal is the change's doing.
     */
    private static void assertRefused(int version, int prefixLength, Consumer<Packet> change, String what) {
        List<byte[]> prefix = new ArrayList<>();
        Packet p = flow(version);
        prefix.add(p.build());
        for (int i = 1; i < prefixLength; i++) {
            p = next(p);
            prefix.add(p.build());
        }
        Packet good = next(p);
        Packet bad = good.copy();
        change.accept(bad);
        assertRefusedAfter(prefix, good.build(), bad.build(), what);
    }

    private static void assertRefusedAfter(List<byte[]> prefix, byte[] good, byte[] bad, String what) {
        for (boolean direct : new boolean[] {false, true}) {
            TcpCoalescer taking = coalescer(direct);
            for (byte[] s : prefix) assertTrue(add(taking, s, direct), what + ": prefix");
            assertTrue(add(taking, good, direct), what + ": the unchanged segment is taken");

            TcpCoalescer refusing = coalescer(direct);
            TcpCoalescer reference = coalescer(direct);
            for (byte[] s : prefix) {
                assertTrue(add(refusing, s, direct));
                assertTrue(add(reference, s, direct));
            }
            assertFalse(add(refusing, bad, direct), what);
            assertTrue(refusing.hasPending(), what + ": still pending");
            assertEquals(Bytes.hex(finish(reference)), Bytes.hex(finish(refusing)), what + ": nothing changed");
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {4, 6})
    void anotherFlowIsRefused(int version) {
        assertThrows(org.opentest4j.AssertionFailedError.class, () -> assertRefused(version, 2, p -> {}, "no change"),
                "the harness notices a merge that is not refused");
        assertRefused(version, 2, p -> { p.src = p.src.clone(); p.src[p.src.length - 1]++; }, "source address");
        assertRefused(version, 2, p -> { p.dst = p.dst.clone(); p.dst[0]++; }, "destination address");
        assertRefused(version, 2, p -> p.srcPort++, "source port");
        assertRefused(version, 2, p -> p.dstPort++, "destination port");
    }

    @Test
    void ipv4HeaderDifferencesAreRefused() {
        assertRefused(4, 2, p -> p.tos = 0x02, "TOS (here ECN ECT(0))");
        assertRefused(4, 1, p -> p.tos = 0x03, "TOS (CE)");
        assertRefused(4, 2, p -> p.ttl = 63, "TTL");
        assertRefused(4, 2, p -> p.fragmentField = 0, "DF");
        assertRefused(4, 2, p -> p.ipOptions = new byte[] {1, 1, 1, 0}, "IHL");
    }

    @Test
    void ipv4OptionsMustBeEqual() {
        Packet a = flow(4);
        a.ipOptions = new byte[] {1, 1, 1, 0};
        Packet good = next(a);
        Packet bad = good.copy();
        bad.ipOptions = new byte[] {1, 1, 0, 0};
        assertRefusedAfter(List.of(a.build()), good.build(), bad.build(), "IP options");
    }

    @Test
    void ipv6HeaderDifferencesAreRefused() {
        assertRefused(6, 2, p -> p.tos = 0x02, "traffic class");
        assertRefused(6, 2, p -> p.flowLabel ^= 1, "flow label");
        assertRefused(6, 2, p -> p.ttl = 1, "hop limit");
    }

    @ParameterizedTest
    @ValueSource(ints = {4, 6})
    void tcpHeaderDifferencesAreRefused(int version) {
        assertRefused(version, 2, p -> p.tcpOptions = new byte[0], "TCP header length");
        assertRefused(version, 2, p -> p.tcpOptions = Packet.timestamps(0x11223345, 0x55667788), "TSval");
        assertRefused(version, 2, p -> p.tcpOptions = Packet.timestamps(0x11223344, 0x55667789), "TSecr");
        assertRefused(version, 2, p -> p.ack++, "ack");
        assertRefused(version, 2, p -> p.window++, "window");
        assertRefused(version, 2, p -> p.reservedBits = 1, "the AE bit");
    }

    @ParameterizedTest
    @ValueSource(ints = {4, 6})
    void sequenceNumbersMustFollow(int version) {
        assertRefused(version, 2, p -> p.seq++, "a gap");
        assertRefused(version, 2, p -> p.seq -= 1000, "a retransmission");
        assertRefused(version, 1, p -> p.seq--, "an overlap");
    }

    @ParameterizedTest
    @ValueSource(ints = {4, 6})
    void segmentSizesFollowTheFirst(int version) {
        assertRefused(version, 2, p -> p.payload = Packet.payload(1001, 3), "longer than the first");
        assertRefused(version, 1, p -> p.payload = new byte[0], "no payload");

        Packet a = flow(version);
        Packet shorter = next(a, 999);
        Packet good = next(shorter, 999);
        Packet bad = good.copy();
        // After a shorter segment even one of the same length is refused; "good" shows it would fit otherwise.
        TcpCoalescer c = coalescer(true);
        assertTrue(add(c, a.build()));
        assertTrue(add(c, shorter.build()));
        assertFalse(add(c, bad.build()), "after a shorter segment");
        TcpCoalescer d = coalescer(true);
        assertTrue(add(d, a.build()));
        Packet full = next(a);
        assertTrue(add(d, full.build()));
        assertTrue(add(d, next(full, 999).build()), "a shorter one as the last is fine");
    }

    @ParameterizedTest
    @ValueSource(ints = {4, 6})
    void pushEndsTheRun(int version) {
        Packet a = flow(version);
        Packet pushed = next(a);
        pushed.flags = Packet.ACK | Packet.PSH;
        Packet after = next(pushed);
        TcpCoalescer c = coalescer(false);
        assertTrue(add(c, a.build()));
        assertTrue(add(c, pushed.build()));
        assertFalse(add(c, after.build()), "after PSH");
        Packet first = a.copy();
        first.flags = Packet.ACK | Packet.PSH;
        TcpCoalescer d = coalescer(false);
        assertTrue(add(d, first.build()), "a pushed segment may start a run");
        assertFalse(add(d, next(first).build()), "and ends it");
        TcpCoalescer e = coalescer(false);
        assertTrue(add(e, a.build()));
        assertTrue(add(e, next(a).build()), "control");
    }

    @ParameterizedTest
    @ValueSource(ints = {4, 6})
    void flagsOtherThanAckAndPshAreRefused(int version) {
        int[] flags = {Packet.SYN | Packet.ACK, Packet.FIN | Packet.ACK, Packet.RST | Packet.ACK, Packet.URG | Packet.ACK,
            Packet.CWR | Packet.ACK, Packet.ECE | Packet.ACK, Packet.PSH, 0};
        for (int f : flags) {
            assertRefused(version, 2, p -> p.flags = f, "flags " + Integer.toHexString(f));
            Packet alone = flow(version);
            alone.flags = f;
            TcpCoalescer c = coalescer(true);
            assertFalse(add(c, alone.build()), "flags " + Integer.toHexString(f) + " start nothing");
            assertFalse(c.hasPending());
        }
    }

    @Test
    void anotherIpVersionIsRefused() {
        Packet a = flow(4);
        Packet v6 = flow(6);
        v6.seq = a.seq + a.payload.length;
        assertRefusedAfter(List.of(a.build()), next(a).build(), v6.build(), "IPv6 after IPv4");
        Packet b = flow(6);
        Packet v4 = flow(4);
        v4.seq = b.seq + b.payload.length;
        assertRefusedAfter(List.of(b.build()), next(b).build(), v4.build(), "IPv4 after IPv6");
    }

    @ParameterizedTest
    @ValueSource(ints = {4, 6})
    void atMost64Segments(int version) {
        Packet p = flow(version);
        p.payload = Packet.payload(100, 4);
        TcpCoalescer c = coalescer(true);
        List<byte[]> taken = new ArrayList<>();
        for (int i = 0; i < Limits.GSO_SEGMENTS; i++) {
            assertTrue(add(c, p.build()), "segment " + i);
            taken.add(p.build());
            p = next(p);
        }
        assertFalse(add(c, p.build()), "the 65th");
        List<byte[]> again = resplit(finish(c));
        assertEquals(64, again.size());
        for (int i = 0; i < 64; i++) assertArrayEquals(taken.get(i), again.get(i));
        assertTrue(add(c, p.build()), "starts the next run");
    }

    @ParameterizedTest
    @ValueSource(ints = {4, 6})
    void atMost65535Bytes(int version) {
        Packet p = version == 4 ? Packet.tcp4() : Packet.tcp6();
        p.payload = Packet.payload(1455, 5);
        TcpCoalescer c = coalescer(false);
        int length = 0;
        for (int i = 0; i < 45; i++) {
            assertTrue(add(c, p.build()), "segment " + i);
            length = p.headersLength() + (i + 1) * 1455;
            p = next(p);
        }
        int room = 65535 - length; // 20 for IPv4, 0 for IPv6
        if (room > 0) {
            Packet tooLong = next(p, room + 1);
            tooLong.seq = p.seq;
            assertFalse(add(c, tooLong.build()), "one byte past 65535");
            Packet fits = tooLong.copy();
            fits.payload = Packet.payload(room, 6);
            assertTrue(add(c, fits.build()), "exactly 65535");
            p = next(fits);
        }
        assertFalse(add(c, next(p, 1).build()), "nothing more");
        byte[] written = finish(c);
        assertEquals(VirtioNetHdr.LENGTH + 65535, written.length);
        assertEquals(version == 4 ? 46 : 45, resplit(written).size());
    }

    // --- packets that start nothing

    @ParameterizedTest
    @ValueSource(ints = {4, 6})
    void packetsThatAreNeverCoalesced(int version) {
        List<byte[]> refused = new ArrayList<>();
        Packet p = flow(version);
        Packet udp = p.copy();
        udp.protocol = 17;
        refused.add(udp.build());
        Packet pureAck = p.copy();
        pureAck.payload = new byte[0];
        refused.add(pureAck.build());
        if (version == 4) {
            for (int frag : new int[] {0x2000, 0x0001, 0x8000 | 0x4000}) {
                Packet f = p.copy();
                f.fragmentField = frag;
                refused.add(f.build());
            }
            byte[] ihl4 = p.build();
            ihl4[0] = 0x44;
            refused.add(ihl4);
            byte[] longer = p.build();
            longer[3]++;
            refused.add(longer);
            byte[] shorter = p.build(); // as if len counted padding after the packet
            shorter[3]--;
            refused.add(shorter);
        } else {
            Packet ext = p.copy();
            ext.protocol = 0; // hop-by-hop options
            refused.add(ext.build());
            byte[] shorter = p.build();
            shorter[5]--;
            refused.add(shorter);
            byte[] longer = p.build();
            longer[5]++;
            refused.add(longer);
        }
        Packet shortTcp = p.copy();
        shortTcp.dataOffsetOverride = 4;
        refused.add(shortTcp.build());
        Packet longTcp = p.copy();
        longTcp.payload = new byte[4];
        longTcp.tcpOptions = new byte[0];
        longTcp.dataOffsetOverride = 6; // 24 bytes of TCP header in 24 bytes: no payload
        refused.add(longTcp.build());
        longTcp.dataOffsetOverride = 15; // past the packet
        refused.add(longTcp.build());
        byte[] version5 = p.build();
        version5[0] = (byte) (0x50 | version5[0] & 0x0f);
        refused.add(version5);
        refused.add(Arrays.copyOf(p.build(), 39));
        refused.add(new byte[0]);

        for (byte[] r : refused) {
            TcpCoalescer c = coalescer(true);
            assertFalse(add(c, r), Bytes.hex(r));
            assertFalse(c.hasPending());
            assertTrue(add(c, p.build()), "control");
            assertRefusedAfter(List.of(p.build()), next(p).build(), r, Bytes.hex(r));
        }
        assertTrue(add(coalescer(true), p.build()), "control");
    }

    @Test
    void argumentsOutsideTheBufferAreRefused() {
        byte[] ip = flow(4).build();
        ByteBuffer b = ByteBuffer.wrap(ip);
        TcpCoalescer c = coalescer(true);
        assertFalse(c.add(b, 0, ip.length + 1));
        assertFalse(c.add(b, 1, ip.length));
        assertFalse(c.add(b, -1, ip.length));
        assertFalse(c.add(b, 0, -1));
        assertFalse(c.add(b, Integer.MAX_VALUE, ip.length));
        assertFalse(c.add(b.limit(ip.length - 1), 0, ip.length), "the limit counts");
        assertFalse(c.hasPending());
        assertTrue(c.add(b.limit(ip.length), 0, ip.length));
    }

    // --- the caller's loop

    /** What the datapath does with a burst of decrypted packets: the writes to the TUN, in order. */
    private static List<byte[]> drive(TcpCoalescer c, List<byte[]> packets) {
        List<byte[]> writes = new ArrayList<>();
        for (byte[] p : packets) {
            if (add(c, p)) continue;
            if (c.hasPending()) writes.add(finish(c));
            if (!add(c, p)) writes.add(Bytes.concat(new byte[VirtioNetHdr.LENGTH], p));
        }
        if (c.hasPending()) writes.add(finish(c));
        return writes;
    }

    @ParameterizedTest
    @ValueSource(ints = {4, 6})
    void interleavedFlowsMakeSeparateRuns(int version) {
        Packet a0 = flow(version);
        Packet b0 = flow(version);
        b0.srcPort = 50000;
        b0.seq = 5;
        Packet a1 = next(a0), a2 = next(a1), a3 = next(a2), b1 = next(b0), b2 = next(b1);
        Packet udp = flow(version);
        udp.protocol = 17;
        List<byte[]> writes = drive(coalescer(true), List.of(a0.build(), a1.build(), b0.build(), b1.build(), b2.build(),
                a2.build(), udp.build(), a3.build()));
        assertEquals(5, writes.size());
        assertEquals(List.of(Bytes.hex(a0.build()), Bytes.hex(a1.build())), hexes(resplit(writes.get(0))));
        assertEquals(List.of(Bytes.hex(b0.build()), Bytes.hex(b1.build()), Bytes.hex(b2.build())), hexes(resplit(writes.get(1))));
        assertEquals(Bytes.hex(new byte[VirtioNetHdr.LENGTH]) + Bytes.hex(a2.build()), Bytes.hex(writes.get(2)), "alone");
        assertEquals(Bytes.hex(new byte[VirtioNetHdr.LENGTH]) + Bytes.hex(udp.build()), Bytes.hex(writes.get(3)));
        assertEquals(Bytes.hex(new byte[VirtioNetHdr.LENGTH]) + Bytes.hex(a3.build()), Bytes.hex(writes.get(4)));
    }

    private static List<String> hexes(List<byte[]> packets) {
        return packets.stream().map(Bytes::hex).toList();
    }

    // --- fuzz

    @Test
    void fuzzNeverThrowsNorOverrunsAndWritesWhatItTook() {
        Random r = new Random(0x67726f);
        TcpCoalescer[] cs = {coalescer(false), coalescer(true)};
        ByteBuffer[] ins = {ByteBuffer.allocate(4096), ByteBuffer.allocateDirect(4096)};
        List<List<byte[]>> taken = List.of(new ArrayList<>(), new ArrayList<>());
        Packet[] flows = new Packet[4];
        int multi = 0;
        for (int iteration = 0; iteration < 100_000; iteration++) {
            int k = iteration & 1;
            TcpCoalescer c = cs[k];
            int f = r.nextInt(flows.length);
            if (flows[f] == null || r.nextInt(50) == 0) {
                flows[f] = r.nextBoolean() ? Packet.tcp4() : Packet.tcp6();
                flows[f].srcPort = f;
                if (r.nextBoolean()) flows[f].tcpOptions = Packet.timestamps(r.nextInt(), r.nextInt());
                flows[f].payload = Packet.payload(1 + r.nextInt(300), f);
            }
            Packet p = flows[f];
            flows[f] = next(p, r.nextInt(8) == 0 ? r.nextInt(300) : p.payload.length);
            byte[] ip = p.build();
            if (r.nextInt(4) == 0) {
                for (int m = 1 + r.nextInt(3); m > 0; m--) ip[r.nextInt(Math.min(ip.length, 64))] = (byte) r.nextInt();
            }
            if (r.nextInt(20) == 0) {
                ip = new byte[r.nextInt(120)];
                r.nextBytes(ip);
            }
            int len = r.nextInt(20) == 0 ? r.nextInt(ip.length + 1) : ip.length;
            int off = r.nextInt(8);
            ByteBuffer in = ins[r.nextInt(2)];
            in.put(off, ip);
            boolean added;
            try {
                added = c.add(in, off, len);
            } catch (RuntimeException e) {
                throw new AssertionError("iteration " + iteration + ": " + Bytes.hex(ip), e);
            }
            if (added) taken.get(k).add(Arrays.copyOf(ip, len));
            if (!added || r.nextInt(10) == 0) {
                if (c.hasPending()) multi += checkWritten(finish(c), taken.get(k));
                taken.get(k).clear();
                if (!added && c.add(in, off, len)) taken.get(k).add(Arrays.copyOf(ip, len));
            }
        }
        assertTrue(multi > 1000, "the fuzz must build super-packets: " + multi);
    }

    /** A run as written splits back into the payloads and sequence numbers that were taken. */
    private static int checkWritten(byte[] written, List<byte[]> taken) {
        List<byte[]> again = resplit(written);
        assertEquals(taken.size(), again.size());
        if (taken.size() == 1) {
            assertArrayEquals(taken.get(0), again.get(0));
            return 0;
        }
        for (int i = 0; i < taken.size(); i++) {
            byte[] t = taken.get(i);
            byte[] g = again.get(i);
            int headers = Naive.ipHeaderLength(t) + ((t[Naive.ipHeaderLength(t) + 12] & 0xf0) >>> 2);
            assertEquals(t.length, g.length);
            assertArrayEquals(Arrays.copyOfRange(t, headers, t.length), Arrays.copyOfRange(g, headers, g.length), "payload");
            int seqAt = Naive.ipHeaderLength(t) + 4;
            assertEquals(ByteBuffer.wrap(t).getInt(seqAt), ByteBuffer.wrap(g).getInt(seqAt), "seq");
            assertTrue(Naive.transportChecksumValid(g));
        }
        return 1;
    }
}
