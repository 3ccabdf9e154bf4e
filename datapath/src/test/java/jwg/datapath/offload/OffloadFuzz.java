package jwg.datapath.offload;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import jwg.datapath.Limits;

/**
 * Fuzz targets (for jwg.datapath.DatapathFuzzTest) of what the kernel hands the TUN reader and
 * what the TUN writer builds: virtio_net_hdr, {@link GsoLayout}, {@link GsoSplitter} and both
 * coalescers, on raw bytes and on valid TCP/UDP IPv4/IPv6 packets and super-packets built from the
 * fuzzer's choices, then mutated (bits flipped, bytes set, cut short, extended). Checked:
 * <ul>
 *   <li>no exception; a refused super-packet leaves the destination untouched; src never changes;
 *   <li>bytes after the given length do not change the result (nothing reads past it);
 *   <li>GsoLayout agrees with the split it predicts (its segment length is a full segment's);
 *   <li>every checksum of a segment equals {@link #rfc1071}'s, a plain reference written here;
 *   <li>an unmutated super-packet splits into the segments the kernel would make
 *       ({@link Gso#expectedSegments}), and coalescing those gives back the super-packet's bytes;
 *   <li>whatever the coalescers write splits back into the packets they took, but for the fields
 *       segmentation rewrites (IPv4 id and header checksum, transport checksum, an urgent
 *       pointer without URG), the checksums then valid.
 * </ul>
 */
public final class OffloadFuzz {
    private OffloadFuzz() {}

    private static final int STRIDE = 2048 + 64;
    private static final int SEGMENTS = Limits.GSO_SEGMENTS;
    private static final byte SENTINEL = (byte) 0xa5;
    private static final ByteBuffer DST = ByteBuffer.allocate(13 + SEGMENTS * STRIDE);
    private static final byte[] UNTOUCHED = filled(DST.capacity(), SENTINEL);
    private static final ByteBuffer RESPLIT = ByteBuffer.allocate(SEGMENTS * Limits.MAX_IP_LENGTH);
    private static final TcpCoalescer TCP = new TcpCoalescer(ByteBuffer.allocateDirect(Coalescer.MIN_CAPACITY));
    private static final UdpCoalescer UDP = new UdpCoalescer(ByteBuffer.allocate(Coalescer.MIN_CAPACITY));

    private static byte[] filled(int n, byte b) {
        byte[] d = new byte[n];
        Arrays.fill(d, b);
        return d;
    }

    /** RFC 1071, as plainly as it can be said: 16-bit big-endian words, carries added back. */
    static int rfc1071(byte[] d, int from, int to, long initial) {
        long s = initial;
        for (int i = from; i < to; i += 2) s += (d[i] & 0xff) << 8 | (i + 1 < to ? d[i + 1] & 0xff : 0);
        while (s >> 16 != 0) s = (s & 0xffff) + (s >> 16);
        return (int) s;
    }

    public static void run(FuzzedDataProvider data) {
        switch (data.consumeInt(0, 3)) {
            case 0 -> split(data.consumeBoolean() ? superPacket(data) : data.consumeBytes(70_000), data);
            case 1 -> singleChecksum(data);
            case 2 -> coalesce(data, data.consumeBoolean() ? TCP : UDP);
            default -> coalesceRaw(data);
        }
    }

    /** A TCP or UDP packet over IPv4 or IPv6 with fields, options and payload from data. */
    private static Packet packet(FuzzedDataProvider data, boolean tcp) {
        Packet p = switch (data.consumeInt(0, 1)) {
            case 0 -> tcp ? Packet.tcp4() : Packet.udp4();
            default -> tcp ? Packet.tcp6() : Packet.udp6();
        };
        if (p.version == 4 && data.consumeInt(0, 7) == 0) p.ipOptions = data.consumeBytes(4 * data.consumeInt(0, 10));
        if (p.ipOptions.length % 4 != 0) p.ipOptions = Arrays.copyOf(p.ipOptions, p.ipOptions.length & ~3);
        if (tcp && data.consumeBoolean()) p.tcpOptions = Packet.timestamps(data.consumeInt(), data.consumeInt());
        p.tos = data.consumeInt(0, 255);
        p.ttl = data.consumeInt(0, 255);
        p.id = data.consumeInt(0, 0xffff);
        p.flowLabel = data.consumeInt(0, 0xfffff);
        p.seq = data.consumeInt();
        p.flags = data.consumeInt(0, 3) == 0 ? data.consumeInt(0, 255) : Packet.ACK | (data.consumeBoolean() ? Packet.PSH : 0);
        p.payload = Packet.payload(data.consumeInt(0, 3) == 0 ? data.consumeInt(0, 64_000) : data.consumeInt(0, 3000), data.consumeInt());
        return p;
    }

    private static int mss(FuzzedDataProvider data) {
        return data.consumeInt(0, 3) == 0 ? data.consumeInt(0, 0xffff) : data.consumeInt(1, 1500);
    }

    /**
     * A super-packet as the kernel hands it (virtio header then packet), checked against the
     * reference segmentation when unmutated; then maybe mutated.
     */
    private static byte[] superPacket(FuzzedDataProvider data) {
        boolean tcp = data.consumeBoolean();
        Packet p = packet(data, tcp);
        int mss = Math.max(1, mss(data));
        byte[] in = Gso.superPacket(p, mss);
        if (in.length - VirtioNetHdr.LENGTH <= Limits.MAX_IP_LENGTH) roundTrip(p, mss, in);
        return mutate(in, data);
    }

    /** Bits flipped, bytes set (anywhere, the virtio header too), then cut or extended. */
    static byte[] mutate(byte[] in, FuzzedDataProvider data) {
        byte[] m = in.clone();
        for (int n = data.consumeInt(0, 3); n > 0 && m.length > 0; n--) {
            int at = data.consumeBoolean() ? data.consumeInt(0, Math.min(m.length, 120) - 1) : data.consumeInt(0, m.length - 1);
            if (data.consumeBoolean()) m[at] ^= (byte) (1 << data.consumeInt(0, 7));
            else m[at] = data.consumeByte();
        }
        return switch (data.consumeInt(0, 5)) {
            case 0 -> Arrays.copyOf(m, data.consumeInt(0, m.length));
            case 1 -> Arrays.copyOf(m, m.length + data.consumeInt(1, 100));
            default -> m;
        };
    }

    /** The reference segmentation, and coalescing it back: the same bytes as the super-packet. */
    private static void roundTrip(Packet p, int mss, byte[] in) {
        List<byte[]> segments = new ArrayList<>();
        int n = split(in, ByteBuffer.wrap(in), segments);
        int payload = p.payload.length;
        int count = payload == 0 ? 1 : (payload + mss - 1) / mss;
        if (count > SEGMENTS) {
            assertEquals(-1, n, "segments that do not fit are refused");
            return;
        }
        List<byte[]> expected = Gso.expectedSegments(p, mss);
        assertEquals(expected.size(), n);
        for (int i = 0; i < n; i++) assertArrayEquals(expected.get(i), segments.get(i), "segment " + i);
        boolean mergeable = n >= 2 && (!p.isTcp() || (p.flags & ~Packet.PSH) == Packet.ACK);
        if (!mergeable) return;
        Coalescer c = p.isTcp() ? TCP : UDP;
        for (byte[] s : segments) assertTrue(add(c, s, 0), "a segment of the super-packet is taken");
        int len = c.finish();
        byte[] again = new byte[len];
        c.out().get(0, again);
        assertArrayEquals(in, again, "coalesced back into the same super-packet");
    }

    /** Splits into fresh segments; returns the count (and checks {@link #split(byte[], FuzzedDataProvider)}'s invariants). */
    private static int split(byte[] in, ByteBuffer src, List<byte[]> out) {
        int[] lengths = new int[SEGMENTS];
        int n = GsoSplitter.split(src, 0, in.length, RESPLIT, 0, Limits.MAX_IP_LENGTH, lengths);
        for (int i = 0; i < n; i++) {
            byte[] s = new byte[lengths[i]];
            RESPLIT.get(i * Limits.MAX_IP_LENGTH, s);
            out.add(s);
        }
        return n;
    }

    /**
     * Splits in at an offset of a buffer whose bytes after it are foreign: twice, with two
     * different neighbourhoods, for the same result; dst untouched when refused; GsoLayout right.
     */
    static void split(byte[] in, FuzzedDataProvider data) {
        int at = data.consumeInt(0, 9);
        int stride = data.consumeInt(0, 7) == 0 ? data.consumeInt(1, STRIDE) : STRIDE;
        int dstAt = data.consumeInt(0, 13);
        byte[][] outputs = new byte[2][];
        int[] results = new int[2];
        int[] lengths = new int[SEGMENTS];
        for (int round = 0; round < 2; round++) {
            ByteBuffer src = ByteBuffer.allocate(at + in.length + 64);
            for (int i = 0; i < src.capacity(); i++) src.put(i, (byte) (round == 0 ? 0 : 0xff ^ i));
            src.put(at, in);
            Arrays.fill(DST.array(), SENTINEL);
            Arrays.fill(lengths, -7);
            results[round] = GsoSplitter.split(src, at, in.length, DST, dstAt, stride, lengths);
            byte[] srcAfter = new byte[in.length];
            src.get(at, srcAfter);
            assertArrayEquals(in, srcAfter, "src is not modified");
            outputs[round] = new byte[DST.capacity()];
            DST.get(0, outputs[round]);
            if (results[round] < 0) assertArrayEquals(UNTOUCHED, outputs[round], "a refused packet leaves dst untouched");
            if (round == 0) checkSegments(in, results[0], outputs[0], dstAt, stride, lengths, src, at);
        }
        assertEquals(results[0], results[1], "bytes after the packet change the result");
        assertArrayEquals(outputs[0], outputs[1], "bytes after the packet change the segments");
    }

    private static void checkSegments(byte[] in, int n, byte[] dst, int dstAt, int stride, int[] lengths, ByteBuffer src, int at) {
        if (in.length <= VirtioNetHdr.LENGTH) {
            assertEquals(-1, n);
            return;
        }
        int count = GsoLayout.segmentCount(src, at, in.length);
        int segment = GsoLayout.segmentLength(src, at, in.length);
        if (count < 0 || segment < 0) assertEquals(-1, n, "GsoLayout refuses what the splitter takes");
        if (n < 0) return;
        assertEquals(count, n, "GsoLayout's count");
        if (n > 1) assertEquals(segment, lengths[0], "GsoLayout's segment length: the first segment's");
        else assertTrue(lengths[0] <= segment, "GsoLayout's segment length bounds a lone segment's");
        boolean gso = (in[1] & 0xff) != VirtioNetHdr.GSO_NONE;
        for (int i = 0; i < n; i++) {
            assertTrue(lengths[i] > 0 && lengths[i] <= stride && lengths[i] <= lengths[0]);
            byte[] s = Arrays.copyOfRange(dst, dstAt + i * stride, dstAt + i * stride + lengths[i]);
            if (gso) assertChecksumsValid(s);
        }
    }

    /** The IPv4 header's and the transport checksum of a segment, against {@link #rfc1071}. */
    static void assertChecksumsValid(byte[] ip) {
        boolean v4 = (ip[0] & 0xf0) == 0x40;
        int ih = v4 ? (ip[0] & 0x0f) * 4 : 40;
        if (v4) assertEquals(0xffff, rfc1071(ip, 0, ih, 0), "IPv4 header checksum");
        int protocol = v4 ? ip[9] & 0xff : ip[6] & 0xff;
        int l4 = ip.length - ih;
        long pseudo = protocol + l4 + (v4 ? rfc1071(ip, 12, 20, 0) : rfc1071(ip, 8, 40, 0));
        assertEquals(0xffff, rfc1071(ip, ih, ip.length, pseudo), "transport checksum");
    }

    /**
     * One packet (gso_type NONE) whose transport checksum the kernel left as the pseudo-header
     * sum: completing it gives the full checksum, a second completion changes nothing; mutated,
     * the same result whatever follows it.
     */
    private static void singleChecksum(FuzzedDataProvider data) {
        boolean tcp = data.consumeBoolean();
        Packet p = packet(data, tcp);
        p.payload = Arrays.copyOf(p.payload, Math.min(p.payload.length, 9000));
        Packet partial = p.copy();
        partial.checksum = Packet.Checksum.PARTIAL;
        byte[] ip = partial.build();
        byte[] in = Bytes.concat(Gso.header(VirtioNetHdr.FLAG_NEEDS_CSUM, VirtioNetHdr.GSO_NONE, 0, 0,
                p.ipHeaderLength(), tcp ? GsoSplitter.TCP_CHECKSUM : GsoSplitter.UDP_CHECKSUM), ip);
        byte[] m = mutate(in, data);
        boolean mutated = !Arrays.equals(m, in);
        byte[][] results = new byte[2][];
        for (int round = 0; round < 2; round++) {
            ByteBuffer b = ByteBuffer.allocate(m.length + 32);
            for (int i = m.length; i < b.capacity(); i++) b.put(i, (byte) (round * 0x3b + i));
            b.put(0, m);
            int len = GsoSplitter.completeChecksum(b, 0, m.length);
            byte[] once = Bytes.get(b, 0, m.length);
            assertEquals(len, GsoSplitter.completeChecksum(b, 0, m.length), "a second completion says the same");
            assertArrayEquals(once, Bytes.get(b, 0, m.length), "a second completion changes nothing");
            if (!mutated) {
                assertEquals(ip.length, len);
                assertArrayEquals(p.build(), Arrays.copyOfRange(once, VirtioNetHdr.LENGTH, m.length), "completed as the full checksum");
                assertChecksumsValid(Arrays.copyOfRange(once, VirtioNetHdr.LENGTH, m.length));
            }
            results[round] = Arrays.copyOf(once, m.length + 1);
            results[round][m.length] = (byte) len;
        }
        assertArrayEquals(results[0], results[1], "bytes after the packet change the result");
        if (!mutated || data.consumeBoolean()) split(m, data);
    }

    /** c.add of ip at an offset, in a buffer whose bytes around it are fill; the input unchanged. */
    private static boolean add(Coalescer c, byte[] ip, int fill) {
        ByteBuffer b = ByteBuffer.allocate(ip.length + 16);
        for (int i = 0; i < b.capacity(); i++) b.put(i, (byte) (fill + i));
        b.put(5, ip);
        boolean taken = c.add(b, 5, ip.length);
        assertArrayEquals(ip, Bytes.get(b, 5, ip.length), "the input is not modified");
        return taken;
    }

    /**
     * The packets of one or two flows, made from data, some mutated, given to c as the TUN writer
     * does; every write split back and compared with what was taken.
     */
    private static void coalesce(FuzzedDataProvider data, Coalescer c) {
        boolean tcp = c == TCP;
        Packet first = packet(data, tcp);
        int mss = Math.max(1, Math.min(mss(data), 4000));
        first.payload = Arrays.copyOf(first.payload, Math.min(first.payload.length, 80 * mss));
        List<byte[]> flow = Gso.expectedSegments(first, mss);
        List<byte[]> packets = new ArrayList<>();
        for (int i = 0; i < flow.size() && packets.size() < 200; i++) {
            int what = data.consumeInt(0, 15);
            byte[] s = flow.get(i);
            packets.add(what == 0 ? mutate(s, data) : s);
            if (what == 1) packets.add(s); // a duplicate
            if (what == 2) packets.add(packet(data, data.consumeBoolean()).build()); // another flow between
        }
        deliver(c, packets);
    }

    /** Raw bytes as packets for a coalescer: cut into pieces by data. */
    private static void coalesceRaw(FuzzedDataProvider data) {
        Coalescer c = data.consumeBoolean() ? TCP : UDP;
        List<byte[]> packets = new ArrayList<>();
        for (int n = data.consumeInt(1, 70); n > 0 && data.remainingBytes() > 0; n--) packets.add(data.consumeBytes(data.consumeInt(0, 2000)));
        deliver(c, packets);
    }

    /** The TUN writer's protocol (see {@link Coalescer}), then the writes checked. */
    private static void deliver(Coalescer c, List<byte[]> packets) {
        List<byte[]> writes = new ArrayList<>();
        List<List<byte[]>> taken = new ArrayList<>();
        List<byte[]> pending = new ArrayList<>();
        for (byte[] ip : packets) {
            if (add(c, ip, pending.size())) {
                pending.add(ip);
                continue;
            }
            flush(c, writes, taken, pending);
            if (add(c, ip, 0x77)) {
                pending.add(ip);
            } else {
                writes.add(null);
                taken.add(List.of(ip));
            }
        }
        flush(c, writes, taken, pending);
        for (int w = 0; w < writes.size(); w++) {
            if (writes.get(w) != null) checkWrite(writes.get(w), taken.get(w));
        }
    }

    private static void flush(Coalescer c, List<byte[]> writes, List<List<byte[]>> taken, List<byte[]> pending) {
        int n = c.finish();
        assertEquals(pending.isEmpty(), n == 0, "finish writes exactly when something is pending");
        if (n == 0) return;
        assertTrue(n <= Coalescer.MIN_CAPACITY);
        writes.add(Bytes.get(c.out(), 0, n));
        taken.add(List.copyOf(pending));
        pending.clear();
    }

    /** A write splits into the packets it was made of, up to the fields segmentation rewrites. */
    private static void checkWrite(byte[] written, List<byte[]> packets) {
        assertTrue(packets.size() <= Limits.GSO_SEGMENTS);
        if (packets.size() == 1) {
            assertArrayEquals(new byte[VirtioNetHdr.LENGTH], Arrays.copyOf(written, VirtioNetHdr.LENGTH), "one packet: a zero header");
            assertArrayEquals(packets.getFirst(), Arrays.copyOfRange(written, VirtioNetHdr.LENGTH, written.length), "one packet as it came");
            return;
        }
        List<byte[]> back = new ArrayList<>();
        int n = split(written, ByteBuffer.wrap(written), back);
        assertEquals(packets.size(), n, "the write splits into as many packets as were taken");
        for (int i = 0; i < n; i++) {
            byte[] s = back.get(i);
            assertChecksumsValid(s);
            assertArrayEquals(withoutRewrittenFields(packets.get(i)), withoutRewrittenFields(s), "packet " + i + " of the write");
        }
    }

    /**
     * ip with its IPv4 id and header checksum and its transport checksum zeroed, and the TCP
     * urgent pointer: meaningless without URG (whose segments go alone), it is not compared by
     * the coalescer, nor by the kernel's tcp_gro_receive, and segmentation copies the first's.
     */
    private static byte[] withoutRewrittenFields(byte[] ip) {
        byte[] c = ip.clone();
        boolean v4 = (c[0] & 0xf0) == 0x40;
        int ih = v4 ? (c[0] & 0x0f) * 4 : 40;
        if (v4) {
            c[4] = c[5] = c[10] = c[11] = 0;
        }
        int protocol = v4 ? c[9] & 0xff : c[6] & 0xff;
        int field = ih + (protocol == InternetChecksum.PROTOCOL_TCP ? GsoSplitter.TCP_CHECKSUM : GsoSplitter.UDP_CHECKSUM);
        c[field] = c[field + 1] = 0;
        if (protocol == InternetChecksum.PROTOCOL_TCP) c[ih + 18] = c[ih + 19] = 0;
        return c;
    }
}
