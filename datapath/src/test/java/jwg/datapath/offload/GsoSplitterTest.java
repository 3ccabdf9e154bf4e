package jwg.datapath.offload;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class GsoSplitterTest {
    private static final byte SENTINEL = (byte) 0xa5;
    private static final int MSS = 1448;
    private static final int SRC_AT = 7;
    private static final int DST_AT = 13;

    /** What one split did; checked on the way that src is unchanged and nothing outside the segments written. */
    private record Split(int count, List<byte[]> segments) {}

    private static Split split(byte[] input, boolean srcDirect, boolean dstDirect, int stride, int maxSegments) {
        ByteBuffer src = Bytes.holding(input, SRC_AT, SRC_AT + input.length + 5, srcDirect, (byte) 0x5a);
        ByteBuffer dst = Bytes.holding(new byte[0], 0, DST_AT + maxSegments * stride + 9, dstDirect, SENTINEL);
        int[] lengths = new int[maxSegments];
        int n = GsoSplitter.split(src, SRC_AT, input.length, dst, DST_AT, stride, lengths);
        assertArrayEquals(input, Bytes.get(src, SRC_AT, input.length), "src is not modified");
        assertEquals(0, src.position());
        assertEquals(0, dst.position());
        List<byte[]> segments = new ArrayList<>();
        byte[] all = Bytes.get(dst, 0, dst.capacity());
        for (int i = 0; i < all.length; i++) {
            int slot = (i - DST_AT) / stride;
            boolean written = i >= DST_AT && slot < n && i - DST_AT - slot * stride < lengths[slot];
            if (!written && all[i] != SENTINEL) fail("byte " + i + " of dst was written; " + n + " segments");
        }
        for (int i = 0; i < n; i++) {
            segments.add(Arrays.copyOfRange(all, DST_AT + i * stride, DST_AT + i * stride + lengths[i]));
        }
        return new Split(n, segments);
    }

    private static Split split(byte[] input, boolean direct) {
        return split(input, direct, direct, 2048, 64);
    }

    private static void assertSegments(List<byte[]> expected, Split got, String what) {
        assertEquals(expected.size(), got.count(), what + ": segments");
        for (int i = 0; i < expected.size(); i++) {
            byte[] e = expected.get(i);
            byte[] g = got.segments().get(i);
            assertEquals(Bytes.hex(e), Bytes.hex(g), what + ": segment " + i);
            // Belt and braces: what the expected packets claim, checked by a receiver's rules.
            if ((g[0] & 0xf0) == 0x40) assertTrue(Naive.ipv4HeaderValid(g), what + ": IPv4 header checksum " + i);
            assertTrue(Naive.transportChecksumValid(g), what + ": transport checksum " + i);
        }
    }

    private static void assertSplitsAsTheKernelWould(Packet template, int mss, String what) {
        List<byte[]> expected = Gso.expectedSegments(template, mss);
        byte[] input = Gso.superPacket(template, mss);
        assertSegments(expected, split(input, false), what + " (heap)");
        assertSegments(expected, split(input, true), what + " (direct)");
        assertSegments(expected, split(input, false, true, 2048, 64), what + " (heap to direct)");
    }

    private static Packet tcp(int version) {
        Packet p = version == 4 ? Packet.tcp4() : Packet.tcp6();
        p.tcpOptions = Packet.timestamps(0x01020304, 0x0a0b0c0d);
        p.flags = Packet.ACK | Packet.PSH;
        return p;
    }

    @ParameterizedTest
    @ValueSource(ints = {4, 6})
    void tsoWithTimestampsAndAShortLastSegment(int version) {
        Packet p = tcp(version);
        p.payload = Packet.payload(10_000, 1);
        assertEquals(7, Gso.expectedSegments(p, MSS).size());
        assertSplitsAsTheKernelWould(p, MSS, "10000 bytes");
    }

    @ParameterizedTest
    @ValueSource(ints = {4, 6})
    void tsoOfAnExactMultipleOfTheMss(int version) {
        Packet p = tcp(version);
        p.payload = Packet.payload(4 * MSS, 2);
        assertSplitsAsTheKernelWould(p, MSS, "4 * MSS");
    }

    @ParameterizedTest
    @ValueSource(ints = {4, 6})
    void tsoOfOneSegment(int version) {
        Packet p = tcp(version);
        p.payload = Packet.payload(MSS, 3);
        assertSplitsAsTheKernelWould(p, MSS, "MSS");
        p.payload = Packet.payload(1, 3);
        assertSplitsAsTheKernelWould(p, MSS, "1 byte");
        p.payload = new byte[0];
        assertSplitsAsTheKernelWould(p, MSS, "no payload: headers fixed up");
    }

    @ParameterizedTest
    @ValueSource(ints = {4, 6})
    void tsoOf45SegmentsNear64KB(int version) {
        Packet p = tcp(version);
        p.payload = Packet.payload(45 * MSS, 4);
        assertTrue(p.headersLength() + p.payload.length <= 65535 + (version == 6 ? 40 : 0));
        assertSplitsAsTheKernelWould(p, MSS, "45 segments");
    }

    @ParameterizedTest
    @ValueSource(ints = {4, 6})
    void finAndPshOnTheLastOnlyCwrOnTheFirstOnly(int version) {
        Packet p = tcp(version);
        p.flags = Packet.ACK | Packet.PSH | Packet.FIN | Packet.CWR | Packet.ECE;
        p.payload = Packet.payload(3 * 1000 + 1, 5);
        List<byte[]> got = split(Gso.superPacket(p, 1000), true).segments();
        int tcpFlags = p.ipHeaderLength() + 13;
        assertEquals(Packet.ACK | Packet.CWR | Packet.ECE, got.get(0)[tcpFlags] & 0xff);
        assertEquals(Packet.ACK | Packet.ECE, got.get(1)[tcpFlags] & 0xff);
        assertEquals(Packet.ACK | Packet.ECE, got.get(2)[tcpFlags] & 0xff);
        assertEquals(Packet.ACK | Packet.PSH | Packet.FIN | Packet.ECE, got.get(3)[tcpFlags] & 0xff);
        assertSplitsAsTheKernelWould(p, 1000, "all flags");
    }

    @ParameterizedTest
    @ValueSource(ints = {4, 6})
    void sequenceNumbersAndIpv4IdsWrapAround(int version) {
        Packet p = tcp(version);
        p.seq = 0xffff_fc00;
        p.id = 0xfffe;
        p.payload = Packet.payload(5 * 600, 6);
        List<byte[]> got = split(Gso.superPacket(p, 600), false).segments();
        int seqAt = p.ipHeaderLength() + 4;
        assertEquals(0xffff_fc00 + 2 * 600, ByteBuffer.wrap(got.get(2)).getInt(seqAt));
        if (version == 4) {
            assertEquals(0xffff, ByteBuffer.wrap(got.get(1)).getShort(4) & 0xffff);
            assertEquals(0x0000, ByteBuffer.wrap(got.get(2)).getShort(4) & 0xffff);
        }
        assertSplitsAsTheKernelWould(p, 600, "wrap");
    }

    @Test
    void ipv4OptionsAreCopiedToEverySegment() {
        Packet p = tcp(4);
        p.ipOptions = new byte[] {1, 1, 1, 0}; // NOP NOP NOP EOL
        p.fragmentField = 0; // no DF either
        p.payload = Packet.payload(2500, 7);
        assertSplitsAsTheKernelWould(p, 1000, "IHL 6");
    }

    @ParameterizedTest
    @ValueSource(ints = {4, 6})
    void tsoWithTheEcnBitIsCutTheSameWay(int version) {
        Packet p = tcp(version);
        p.flags = Packet.ACK | Packet.CWR;
        p.payload = Packet.payload(3000, 8);
        byte[] input = Gso.superPacket(p, 1000);
        input[1] |= (byte) VirtioNetHdr.GSO_ECN;
        assertSegments(Gso.expectedSegments(p, 1000), split(input, true), "ECN");
    }

    @ParameterizedTest
    @ValueSource(ints = {4, 6})
    void usoSetsEachDatagramsLengthAndChecksum(int version) {
        Packet p = version == 4 ? Packet.udp4() : Packet.udp6();
        p.payload = Packet.payload(5000, 9);
        assertEquals(5, Gso.expectedSegments(p, 1200).size());
        assertSplitsAsTheKernelWould(p, 1200, "USO");
        p.payload = Packet.payload(2400, 9);
        assertSplitsAsTheKernelWould(p, 1200, "USO exact");
        p.payload = Packet.payload(7, 9);
        assertSplitsAsTheKernelWould(p, 1200, "USO one odd datagram");
    }

    /** Payload whose last two bytes make the segment's checksum compute to 0. */
    private static Packet withZeroChecksum(Packet p, int payloadLength) {
        p.payload = Packet.payload(payloadLength, 10);
        p.payload[payloadLength - 2] = 0;
        p.payload[payloadLength - 1] = 0;
        p.checksum = Packet.Checksum.FULL;
        byte[] ip = p.build();
        int at = p.ipHeaderLength() + (p.isTcp() ? 16 : 6);
        int c = ByteBuffer.wrap(ip).getShort(at) & 0xffff; // ~sum of everything else
        p.payload[payloadLength - 2] = (byte) (c >>> 8);
        p.payload[payloadLength - 1] = (byte) c;
        return p;
    }

    @ParameterizedTest
    @ValueSource(ints = {4, 6})
    void aComputedZeroChecksumIsSentAsAllOnes(int version) {
        for (Packet p : new Packet[] {version == 4 ? Packet.udp4() : Packet.udp6(), tcp(version)}) {
            withZeroChecksum(p, 100);
            List<byte[]> got = split(Gso.superPacket(p, 1000), true).segments();
            int at = p.ipHeaderLength() + (p.isTcp() ? 16 : 6);
            assertEquals(0xffff, ByteBuffer.wrap(got.get(0)).getShort(at) & 0xffff, "RFC 768; CSUM_MANGLED_0");
            assertTrue(Naive.transportChecksumValid(got.get(0)));
            assertSplitsAsTheKernelWould(p, 1000, "zero");
        }
    }

    // --- gso_type NONE

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void aPacketWithNothingToDoIsCopiedAsIs(boolean direct) {
        for (byte[] ip : new byte[][] {InternetChecksumTest.LINUX_ICMP6, InternetChecksumTest.LINUX_UDP4, {0x45}}) {
            byte[] input = Bytes.concat(new byte[VirtioNetHdr.LENGTH], ip);
            Split s = split(input, direct);
            assertEquals(1, s.count());
            assertArrayEquals(ip, s.segments().get(0));
        }
    }

    /** A Linux packet with its transport checksum turned back into CHECKSUM_PARTIAL form. */
    private static byte[] partial(byte[] linux, int checksumOffset) {
        byte[] ip = linux.clone();
        int ih = Naive.ipHeaderLength(ip);
        int pseudo = Naive.pseudoSum(ip);
        ip[ih + checksumOffset] = (byte) (pseudo >>> 8);
        ip[ih + checksumOffset + 1] = (byte) pseudo;
        return Bytes.concat(Gso.header(VirtioNetHdr.FLAG_NEEDS_CSUM, 0, 0, 0, ih, checksumOffset), ip);
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void aPartialChecksumIsCompletedAsLinuxWould(boolean direct) {
        byte[][] linux = {InternetChecksumTest.LINUX_UDP4, InternetChecksumTest.LINUX_TCP4_SYN, InternetChecksumTest.LINUX_UDP6};
        int[] checksumOffset = {6, 16, 6};
        for (int i = 0; i < linux.length; i++) {
            Split s = split(partial(linux[i], checksumOffset[i]), direct);
            assertEquals(1, s.count());
            assertEquals(Bytes.hex(linux[i]), Bytes.hex(s.segments().get(0)), "packet " + i);
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void completeChecksumWorksInPlace(boolean direct) {
        byte[][] linux = {InternetChecksumTest.LINUX_UDP4, InternetChecksumTest.LINUX_TCP4_SYN, InternetChecksumTest.LINUX_UDP6};
        int[] checksumOffset = {6, 16, 6};
        for (int i = 0; i < linux.length; i++) {
            byte[] input = partial(linux[i], checksumOffset[i]);
            ByteBuffer b = Bytes.holding(input, 3, input.length + 6, direct, SENTINEL);
            assertEquals(linux[i].length, GsoSplitter.completeChecksum(b, 3, input.length));
            assertArrayEquals(linux[i], Bytes.get(b, 3 + VirtioNetHdr.LENGTH, linux[i].length));
            assertEquals(0, VirtioNetHdr.flags(b, 3), "NEEDS_CSUM is cleared");
            assertEquals(SENTINEL, b.get(2));
            assertEquals(SENTINEL, b.get(3 + input.length));
            assertEquals(linux[i].length, GsoSplitter.completeChecksum(b, 3, input.length), "a second call");
            assertArrayEquals(linux[i], Bytes.get(b, 3 + VirtioNetHdr.LENGTH, linux[i].length), "changes nothing");
        }
    }

    @Test
    void completeChecksumLeavesACompletePacketAlone() {
        byte[] input = Bytes.concat(new byte[VirtioNetHdr.LENGTH], InternetChecksumTest.LINUX_ICMP6);
        ByteBuffer b = ByteBuffer.wrap(input.clone());
        assertEquals(InternetChecksumTest.LINUX_ICMP6.length, GsoSplitter.completeChecksum(b, 0, input.length));
        assertArrayEquals(input, b.array());
    }

    @Test
    void completeChecksumOfZeroIsAllOnes() {
        Packet p = withZeroChecksum(Packet.udp6(), 64);
        p.checksum = Packet.Checksum.PARTIAL;
        byte[] ip = p.build();
        byte[] input = Bytes.concat(Gso.header(VirtioNetHdr.FLAG_NEEDS_CSUM, 0, 0, 0, 40, 6), ip);
        ByteBuffer b = ByteBuffer.allocateDirect(input.length).put(0, input);
        assertEquals(ip.length, GsoSplitter.completeChecksum(b, 0, input.length));
        assertEquals(0xffff, b.getShort(VirtioNetHdr.LENGTH + 40 + 6) & 0xffff);
    }

    @Test
    void completeChecksumRefuses() {
        byte[] tso = Gso.superPacket(tcp(4), MSS);
        assertEquals(-1, GsoSplitter.completeChecksum(ByteBuffer.wrap(tso), 0, tso.length), "a GSO packet");
        byte[] input = partial(InternetChecksumTest.LINUX_UDP4, 6);
        int ipLen = input.length - VirtioNetHdr.LENGTH;
        ByteBuffer b = ByteBuffer.wrap(input.clone());
        VirtioNetHdr.csumOffset(b, 0, ipLen - 20 - 1);
        assertEquals(-1, GsoSplitter.completeChecksum(b, 0, input.length), "checksum field past the end");
        VirtioNetHdr.csumOffset(b, 0, ipLen - 20 - 2);
        assertEquals(ipLen, GsoSplitter.completeChecksum(b, 0, input.length), "the last two bytes are allowed");
        ByteBuffer c = ByteBuffer.wrap(input.clone());
        assertEquals(-1, GsoSplitter.completeChecksum(c, 0, input.length + 1), "past the buffer");
        assertEquals(-1, GsoSplitter.completeChecksum(c, -1, input.length));
        assertEquals(-1, GsoSplitter.completeChecksum(c, 0, VirtioNetHdr.LENGTH), "no packet");
        assertArrayEquals(input, c.array());
    }

    @Test
    void splittingAllocatesNothing() {
        Packet p = tcp(4);
        p.payload = Packet.payload(20 * MSS + 5, 13);
        byte[] tso = Gso.superPacket(p, MSS);
        ByteBuffer src = ByteBuffer.allocateDirect(tso.length).put(0, tso);
        byte[] none = partial(InternetChecksumTest.LINUX_TCP4_SYN, 16);
        ByteBuffer one = ByteBuffer.allocateDirect(none.length).put(0, none);
        ByteBuffer dst = ByteBuffer.allocateDirect(64 * 2048);
        int[] lengths = new int[64];
        long bytes = Allocations.measure(20_000, 20_000, () -> {
            if (GsoSplitter.split(src, 0, tso.length, dst, 0, 2048, lengths) != 21) throw new AssertionError();
            if (GsoSplitter.split(one, 0, none.length, dst, 0, 2048, lengths) != 1) throw new AssertionError();
            VirtioNetHdr.flags(one, 0, VirtioNetHdr.FLAG_NEEDS_CSUM);
            if (GsoSplitter.completeChecksum(one, 0, none.length) < 0) throw new AssertionError();
        });
        assertTrue(bytes < 20_000, bytes + " bytes allocated in 20000 rounds");
    }

    // --- room for the segments

    @Test
    void segmentsMustFitStrideLengthsAndDst() {
        Packet p = tcp(4);
        p.payload = Packet.payload(3 * 1000 + 10, 11);
        byte[] input = Gso.superPacket(p, 1000);
        int largest = p.headersLength() + 1000;
        assertEquals(4, split(input, true, true, largest, 4).count(), "exactly a stride");
        assertEquals(-1, split(input, true, true, largest - 1, 4).count(), "a byte short");
        assertEquals(-1, split(input, true, true, 2048, 3).count(), "too few lengths");
        ByteBuffer roomy = ByteBuffer.allocate(10 * 2048);
        assertEquals(-1, GsoSplitter.split(ByteBuffer.wrap(input), 0, input.length, roomy, 0, 2048, new int[3]),
                "too few lengths, though dst has room");
        assertEquals(0, roomy.getLong(0), "untouched");

        ByteBuffer src = ByteBuffer.wrap(input);
        int last = p.headersLength() + 10;
        int[] lengths = new int[4];
        ByteBuffer exact = ByteBuffer.allocateDirect(5 + 3 * 2000 + last);
        assertEquals(4, GsoSplitter.split(src, 0, input.length, exact, 5, 2000, lengths), "dst ends with the last segment");
        ByteBuffer shortByOne = ByteBuffer.allocateDirect(5 + 3 * 2000 + last - 1);
        assertEquals(-1, GsoSplitter.split(src, 0, input.length, shortByOne, 5, 2000, lengths));
        ByteBuffer limited = ByteBuffer.allocateDirect(10 * 2000).limit(5 + 3 * 2000 + last - 1);
        assertEquals(-1, GsoSplitter.split(src, 0, input.length, limited, 5, 2000, lengths), "dst's limit counts");
        limited.clear();
        for (int i = 0; i < limited.capacity(); i++) assertEquals(0, limited.get(i), "untouched");
        assertEquals(-1, GsoSplitter.split(src, 0, input.length, exact, -1, 2000, lengths), "negative dstOff");
        assertEquals(-1, GsoSplitter.split(src, 0, input.length, exact, 0, 0, lengths), "stride 0");
        assertEquals(-1, GsoSplitter.split(src, 0, input.length, exact, 0, 2000, new int[0]));

        byte[] none = Bytes.concat(new byte[10], InternetChecksumTest.LINUX_UDP4);
        assertEquals(-1, split(none, false, false, InternetChecksumTest.LINUX_UDP4.length - 1, 1).count());
        assertEquals(1, split(none, false, false, InternetChecksumTest.LINUX_UDP4.length, 1).count());
    }

    // --- malformed

    private static void assertRefused(byte[] input, String what) {
        for (boolean direct : new boolean[] {false, true}) {
            assertEquals(-1, split(input, direct).count(), what);
        }
    }

    private static byte[] tso(Packet p) {
        return Gso.superPacket(p, 500);
    }

    private static Packet withPayload(Packet p) {
        p.payload = Packet.payload(1200, 12);
        return p;
    }

    @ParameterizedTest
    @ValueSource(ints = {4, 6})
    void malformedSuperPacketsAreRefused(int version) {
        Packet good = withPayload(tcp(version));
        byte[] ok = tso(good);
        assertEquals(3, split(ok, false).count(), "the unmodified packet is fine");

        for (int cut = 0; cut <= VirtioNetHdr.LENGTH + good.headersLength() - 1; cut++) {
            assertRefused(Arrays.copyOf(ok, cut), "truncated to " + cut);
        }
        byte[] b = ok.clone();
        b[1] = (byte) (version == 4 ? VirtioNetHdr.GSO_TCPV6 : VirtioNetHdr.GSO_TCPV4);
        assertRefused(b, "gso_type of the other IP version");
        for (int type : new int[] {VirtioNetHdr.GSO_UDP, 2, 6, 7, 0x7f, VirtioNetHdr.GSO_UDP_L4 | VirtioNetHdr.GSO_ECN, 0x80, 0xff}) {
            b = ok.clone();
            b[1] = (byte) type;
            assertRefused(b, "gso_type " + type);
        }
        b = ok.clone();
        b[1] = (byte) VirtioNetHdr.GSO_UDP_L4;
        assertRefused(b, "USO of a TCP packet");
        b = ok.clone();
        b[4] = b[5] = 0;
        assertRefused(b, "gso_size 0");
        Packet tiny = good.copy();
        tiny.payload = new byte[] {42};
        b = tso(tiny);
        assertEquals(1, split(b, false).count());
        b[4] = b[5] = 0;
        assertRefused(b, "gso_size 0 of a one-byte payload");
        b = ok.clone();
        int ipLen = ok.length - VirtioNetHdr.LENGTH;
        b[2] = (byte) (ipLen + 1);
        b[3] = (byte) ((ipLen + 1) >>> 8);
        assertRefused(b, "hdr_len past the packet");
        b = ok.clone();
        b[6]++;
        assertRefused(b, "csum_start is not the transport header");
        b = ok.clone();
        b[8] = 6;
        assertRefused(b, "csum_offset is not TCP's");
        b = ok.clone();
        b[0] = 0;
        b[6] = b[8] = 0x33;
        assertEquals(3, split(b, true).count(), "without NEEDS_CSUM csum_start/offset mean nothing");

        Packet p = good.copy();
        p.protocol = 17;
        assertRefused(Bytes.concat(Arrays.copyOf(ok, 10), p.build()), "UDP in a TCP GSO packet");
        if (version == 6) {
            p = good.copy();
            p.protocol = 0; // hop-by-hop options first (RFC 8200 4.3)
            assertRefused(Bytes.concat(Arrays.copyOf(ok, 10), p.build()), "an extension header");
            p.protocol = 44; // fragment header
            assertRefused(Bytes.concat(Arrays.copyOf(ok, 10), p.build()), "a fragment header");
        } else {
            for (int frag : new int[] {0x2000, 0x0001, 0x6000, 0x1fff}) {
                p = good.copy();
                p.fragmentField = frag;
                assertRefused(tso(p), "IPv4 fragment field " + Integer.toHexString(frag));
            }
            b = ok.clone();
            b[10] = 0x44;
            assertRefused(b, "IHL 4");
            b = ok.clone();
            b[10] = 0x4f;
            assertRefused(b, "IHL 15, longer than the packet's headers allow for TCP");
        }
        p = good.copy();
        p.payload = new byte[0];
        p.tcpOptions = new byte[0];
        p.dataOffsetOverride = 4;
        assertRefused(tso(p), "TCP data offset 4");
        p.dataOffsetOverride = 6; // 24 bytes of header in a 20-byte segment
        assertRefused(tso(p), "TCP header past the packet");
        b = ok.clone();
        b[10] = (byte) ((b[10] & 0x0f) | (version == 4 ? 0x60 : 0x40));
        assertRefused(b, "IP version not that of gso_type");
        b[10] = (byte) (b[10] & 0x0f);
        assertRefused(b, "IP version 0");
    }

    @ParameterizedTest
    @ValueSource(ints = {4, 6})
    void malformedUsoPacketsAreRefused(int version) {
        Packet good = withPayload(version == 4 ? Packet.udp4() : Packet.udp6());
        byte[] ok = Gso.superPacket(good, 500);
        assertEquals(3, split(ok, true).count());
        for (int cut = 0; cut < VirtioNetHdr.LENGTH + good.headersLength(); cut++) {
            assertRefused(Arrays.copyOf(ok, cut), "truncated to " + cut);
        }
        byte[] b = ok.clone();
        b[8] = 16;
        assertRefused(b, "csum_offset of TCP");
        Packet p = good.copy();
        p.protocol = 6;
        assertRefused(Bytes.concat(Arrays.copyOf(ok, 10), p.build()), "TCP in a USO packet");
        b = ok.clone();
        b[1] = (byte) VirtioNetHdr.GSO_UDP;
        assertRefused(b, "legacy UFO");
    }

    @Test
    void argumentsOutsideTheSourceAreRefused() {
        byte[] ok = tso(withPayload(tcp(4)));
        ByteBuffer src = ByteBuffer.wrap(ok);
        ByteBuffer dst = ByteBuffer.allocate(10_000);
        int[] lengths = new int[10];
        assertEquals(3, GsoSplitter.split(src, 0, ok.length, dst, 0, 2000, lengths));
        assertEquals(-1, GsoSplitter.split(src, 0, ok.length + 1, dst, 0, 2000, lengths));
        assertEquals(-1, GsoSplitter.split(src, 1, ok.length, dst, 0, 2000, lengths));
        assertEquals(-1, GsoSplitter.split(src, -1, ok.length, dst, 0, 2000, lengths));
        assertEquals(-1, GsoSplitter.split(src, 0, -5, dst, 0, 2000, lengths));
        assertEquals(-1, GsoSplitter.split(src, Integer.MAX_VALUE, ok.length, dst, 0, 2000, lengths));
        assertEquals(-1, GsoSplitter.split(src.limit(ok.length - 1), 0, ok.length, dst, 0, 2000, lengths), "src's limit counts");
    }

    // --- fuzz

    @Test
    void fuzzNeverThrowsNorWritesOutsideItsSegments() {
        Random r = new Random(0x6a7767);
        ByteBuffer[] srcs = {ByteBuffer.allocate(4096), ByteBuffer.allocateDirect(4096)};
        ByteBuffer[] dsts = {ByteBuffer.allocate(16 + 16 * 1600 + 16), ByteBuffer.allocateDirect(16 + 16 * 1600 + 16)};
        byte[] sentinel = new byte[dsts[0].capacity()];
        Arrays.fill(sentinel, SENTINEL);
        for (ByteBuffer d : dsts) d.put(0, sentinel);
        byte[] seen = new byte[sentinel.length];
        int accepted = 0;
        for (int iteration = 0; iteration < 100_000; iteration++) {
            byte[] input = fuzzInput(r);
            ByteBuffer src = srcs[iteration & 1];
            ByteBuffer dst = dsts[(iteration >>> 1) & 1];
            int off = r.nextInt(8);
            src.put(off, input);
            int dstOff = r.nextInt(16);
            int stride = 1 + r.nextInt(1600);
            int maxSegments = 1 + r.nextInt(16);
            int[] lengths = new int[maxSegments];
            dst.limit(Math.min(dst.capacity(), dstOff + r.nextInt(maxSegments * stride + 16)));
            int n;
            try {
                n = GsoSplitter.split(src, off, input.length, dst, dstOff, stride, lengths);
            } catch (RuntimeException e) {
                throw new AssertionError("iteration " + iteration + ": " + Bytes.hex(input), e);
            }
            assertTrue(n == -1 || n >= 1 && n <= maxSegments, "count " + n);
            assertArrayEquals(input, Bytes.get(src, off, input.length), "src unchanged");
            dst.clear();
            dst.get(0, seen);
            int from = dstOff;
            int to = n > 0 ? dstOff + n * stride : dstOff;
            if (!Arrays.equals(seen, 0, from, sentinel, 0, from)
                    || !Arrays.equals(seen, to, seen.length, sentinel, to, seen.length)) {
                fail("iteration " + iteration + " wrote outside [" + from + ", " + to + ")");
            }
            if (n > 0) {
                accepted++;
                checkSegments(input, seen, dstOff, stride, n, lengths);
                dst.put(from, sentinel, from, to - from);
            }
        }
        assertTrue(accepted > 10_000, "the fuzz must reach the segmentation, not only the checks: " + accepted);
    }

    private static void checkSegments(byte[] input, byte[] dst, int dstOff, int stride, int n, int[] lengths) {
        int type = input[1] & 0xff;
        for (int i = 0; i < n; i++) {
            assertTrue(lengths[i] > 0 && lengths[i] <= stride, "length");
            byte[] seg = Arrays.copyOfRange(dst, dstOff + i * stride, dstOff + i * stride + lengths[i]);
            if (type == VirtioNetHdr.GSO_NONE) {
                byte[] want = Arrays.copyOfRange(input, VirtioNetHdr.LENGTH, input.length);
                if ((input[0] & VirtioNetHdr.FLAG_NEEDS_CSUM) != 0) {
                    // skb_checksum_help: the complement of the sum from csum_start on, 0 as ffff.
                    int start = (input[6] & 0xff) | (input[7] & 0xff) << 8;
                    int field = start + ((input[8] & 0xff) | (input[9] & 0xff) << 8);
                    int c = Naive.checksum(want, start, want.length - start);
                    c = c == 0 ? 0xffff : c;
                    want[field] = (byte) (c >>> 8);
                    want[field + 1] = (byte) c;
                }
                assertArrayEquals(want, seg);
            } else {
                if ((seg[0] & 0xf0) == 0x40) assertTrue(Naive.ipv4HeaderValid(seg), "IPv4 header checksum");
                assertTrue(Naive.transportChecksumValid(seg), "transport checksum");
            }
        }
    }

    private static byte[] fuzzInput(Random r) {
        int kind = r.nextInt(10);
        if (kind == 0) {
            byte[] d = new byte[r.nextInt(200)];
            r.nextBytes(d);
            return d;
        }
        Packet p = switch (r.nextInt(4)) {
            case 0 -> Packet.tcp4();
            case 1 -> Packet.tcp6();
            case 2 -> Packet.udp4();
            default -> Packet.udp6();
        };
        if (p.isTcp() && r.nextBoolean()) p.tcpOptions = Packet.timestamps(r.nextInt(), r.nextInt());
        if (p.version == 4 && r.nextInt(4) == 0) p.ipOptions = new byte[] {1, 1, 1, 1};
        p.flags = r.nextInt(256);
        p.seq = r.nextInt();
        p.id = r.nextInt(65536);
        p.payload = Packet.payload(r.nextInt(3000), r.nextInt());
        int mss = 1 + r.nextInt(r.nextBoolean() ? 1500 : 200);
        byte[] d;
        if (kind == 1) {
            p.checksum = Packet.Checksum.PARTIAL;
            byte[] ip = p.build();
            d = Bytes.concat(Gso.header(r.nextBoolean() ? VirtioNetHdr.FLAG_NEEDS_CSUM : 0, 0, 0, 0,
                    p.ipHeaderLength(), p.isTcp() ? 16 : 6), ip);
        } else {
            d = Gso.superPacket(p, mss);
        }
        if (kind >= 5) {
            for (int k = 1 + r.nextInt(4); k > 0; k--) {
                int at = r.nextInt(r.nextBoolean() ? Math.min(d.length, 80) : d.length);
                d[at] = (byte) (r.nextInt(3) == 0 ? d[at] ^ (1 << r.nextInt(8)) : r.nextInt());
            }
        }
        if (kind == 9) d = Arrays.copyOf(d, r.nextInt(d.length + 1));
        return d;
    }
}
