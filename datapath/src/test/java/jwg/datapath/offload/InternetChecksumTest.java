package jwg.datapath.offload;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.ByteBuffer;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class InternetChecksumTest {
    // Read from a TUN without offloads in a scratch network namespace, so every checksum was
    // computed by Linux (skb_checksum_help): UDP 10.9.0.1:40000 -> 10.9.0.2:53 "hello, checksum!x",
    // the SYN of a connect() 10.9.0.1:40001 -> 10.9.0.2:80 (MSS, SACK, timestamps, window scale),
    // UDP fd00::1:40002 -> fd00::2:53 "odd length payload", and an ICMPv6 router solicitation.
    static final byte[] LINUX_UDP4 = Bytes.hex("4500002df4954000401132160a0900010a0900029c4000350019c668"
            + "68656c6c6f2c20636865636b73756d2178");
    static final byte[] LINUX_TCP4_SYN = Bytes.hex("4500003c501d40004006d68a0a0900010a0900029c410050d50d4205"
            + "00000000a002faf0a5450000020405b40402080ac99f166e000000000103030a");
    static final byte[] LINUX_UDP6 = Bytes.hex("600a101f001a1140fd000000000000000000000000000001fd00000000"
            + "00000000000000000000029c420035001af6c66f6464206c656e677468207061796c6f6164");
    static final byte[] LINUX_ICMP6 = Bytes.hex("6000000000083afffe8000000000000030cdbbcc58886711ff020000"
            + "000000000000000000000002" + "8500d10300000000");

    @Test
    void rfc1071Example() {
        // RFC 1071 3: bytes 00 01 f2 03 f4 f5 f6 f7 sum to ddf2, whatever the width of the additions.
        byte[] d = Bytes.hex("0001f203f4f5f6f7");
        for (boolean direct : new boolean[] {false, true}) {
            ByteBuffer b = Bytes.holding(d, 3, 16, direct, (byte) 0x55);
            assertEquals(0xddf2, InternetChecksum.fold(InternetChecksum.sum(b, 3, 8, 0)));
        }
    }

    @Test
    void ipv4HeaderChecksumOfKnownHeaders() {
        // The classic example (Wikipedia, "Internet checksum"), then Linux's own.
        String[] headers = {"450000730000400040110000c0a80001c0a800c7"};
        int[] expected = {0xb861};
        for (int i = 0; i < headers.length; i++) {
            ByteBuffer b = ByteBuffer.wrap(Bytes.hex(headers[i]));
            b.putShort(10, (short) 0x7777); // whatever is there is replaced
            InternetChecksum.ipv4HeaderChecksum(b, 0, 20);
            assertEquals(expected[i], b.getShort(10) & 0xffff);
        }
        for (byte[] linux : new byte[][] {LINUX_UDP4, LINUX_TCP4_SYN}) {
            ByteBuffer b = Bytes.holding(linux, 5, linux.length + 10, true, (byte) 0);
            int want = b.getShort(5 + 10) & 0xffff;
            b.putShort(5 + 10, (short) 0);
            InternetChecksum.ipv4HeaderChecksum(b, 5, 20);
            assertEquals(want, b.getShort(5 + 10) & 0xffff);
            assertEquals(0, b.get(4), "nothing before the header is touched");
        }
    }

    @Test
    void linuxTransportChecksumsAreReproduced() {
        int[][] cases = { // packet index, IP header length, checksum offset in the transport header, protocol
            {0, 20, 6, 17}, {1, 20, 16, 6}, {2, 40, 6, 17}, {3, 40, 2, 58},
        };
        byte[][] packets = {LINUX_UDP4, LINUX_TCP4_SYN, LINUX_UDP6, LINUX_ICMP6};
        for (int[] c : cases) {
            byte[] p = packets[c[0]];
            int version = (p[0] & 0xff) >>> 4;
            for (boolean direct : new boolean[] {false, true}) {
                ByteBuffer b = Bytes.holding(p, 1, p.length + 1, direct, (byte) 0);
                int at = 1 + c[1] + c[2];
                int want = b.getShort(at) & 0xffff;
                b.putShort(at, (short) 0);
                int l4 = p.length - c[1];
                long s = InternetChecksum.sum(b, 1 + c[1], l4, InternetChecksum.pseudoHeaderSum(b, 1, version, c[3], l4));
                assertEquals(want, ~InternetChecksum.fold(s) & 0xffff, "packet " + c[0]);
            }
            assertEquals(0xffff, Naive.sum(p, c[1], p.length - c[1],
                    Naive.sum(Naive.pseudoHeader(p, c[3], p.length - c[1]), 0, version == 4 ? 12 : 40, 0)),
                    "the reference agrees with Linux too");
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void everyAlignmentAndLengthMatchesTheReference(boolean direct) {
        Random r = new Random(1071);
        byte[] d = new byte[300];
        r.nextBytes(d);
        ByteBuffer b = Bytes.holding(d, 0, d.length, direct, (byte) 0);
        for (int off = 0; off < 8; off++) {
            for (int len = 0; len <= 200; len++) {
                int want = Naive.sum(d, off, len, 0);
                assertEquals(want, InternetChecksum.fold(InternetChecksum.sum(b, off, len, 0)), off + "+" + len);
            }
        }
    }

    @Test
    void anOddLastByteIsTheHighHalfOfAWord() {
        ByteBuffer b = ByteBuffer.wrap(new byte[] {0x12, 0x34, 0x56, 0x78});
        assertEquals(0x1234 + 0x5600, InternetChecksum.fold(InternetChecksum.sum(b, 0, 3, 0)));
        assertEquals(0x3456 + 0x7800, InternetChecksum.fold(InternetChecksum.sum(b, 1, 3, 0)));
        assertEquals(0x5600, InternetChecksum.fold(InternetChecksum.sum(b, 2, 1, 0)));
        assertEquals(0, InternetChecksum.sum(b, 2, 0, 0));
    }

    @Test
    void carriesAreAddedBack() {
        for (int len : new int[] {2, 8, 16, 24, 1500, 65535, 1 << 20}) {
            byte[] d = new byte[len];
            java.util.Arrays.fill(d, (byte) 0xff);
            ByteBuffer b = ByteBuffer.allocateDirect(len).put(0, d);
            assertEquals(Naive.sum(d, 0, len, 0), InternetChecksum.fold(InternetChecksum.sum(b, 0, len, 0)), "len " + len);
        }
        assertEquals(0, InternetChecksum.fold(0));
        assertEquals(1, InternetChecksum.fold(0x10000));
        assertEquals(1, InternetChecksum.fold(0x1ffff)); // 1 + ffff = 1 0000 -> 1
        assertEquals(0xffff, InternetChecksum.fold(0xffff));
        assertEquals(0xffff, InternetChecksum.fold(-1L));
        assertEquals(0x0001 + 0x8000, InternetChecksum.fold(0x8000_0000_0000_0001L));
    }

    @Test
    void anyInitialValueIsFoldedIn() {
        Random r = new Random(8);
        byte[] d = new byte[64];
        r.nextBytes(d);
        ByteBuffer b = ByteBuffer.wrap(d);
        for (int i = 0; i < 10_000; i++) {
            long initial = i < 4 ? new long[] {-1L, Long.MIN_VALUE, Long.MAX_VALUE, 0xffff_ffffL}[i] : r.nextLong();
            int len = r.nextInt(65);
            int want = Naive.sum(d, 0, len, naiveFold64(initial));
            assertEquals(want, InternetChecksum.fold(InternetChecksum.sum(b, 0, len, initial)));
        }
    }

    /** A 64-bit value's four 16-bit words, summed with carries added back. */
    private static int naiveFold64(long v) {
        int s = 0;
        for (int k = 0; k < 4; k++) {
            s += (int) (v >>> (16 * k)) & 0xffff;
            s = (s & 0xffff) + (s >>> 16);
        }
        return s;
    }

    @Test
    void sumsOfEvenSplitRangesAddUp() {
        Random r = new Random(5);
        byte[] d = new byte[1000];
        r.nextBytes(d);
        ByteBuffer b = ByteBuffer.allocateDirect(d.length).put(0, d);
        for (int cut = 0; cut <= 1000; cut += 2) {
            long s = InternetChecksum.sum(b, cut, 1000 - cut, InternetChecksum.sum(b, 0, cut, 0));
            assertEquals(Naive.sum(d, 0, 1000, 0), InternetChecksum.fold(s), "cut " + cut);
        }
    }

    @Test
    void pseudoHeadersAsTheRfcsDrawThem() {
        Random r = new Random(793);
        for (int i = 0; i < 2000; i++) {
            int version = i % 2 == 0 ? 4 : 6;
            byte[] ip = new byte[60];
            r.nextBytes(ip);
            ip[0] = (byte) (version << 4 | 5);
            int protocol = r.nextInt(256);
            int l4 = r.nextInt(version == 4 ? 65536 : 200_000); // IPv4's pseudo-header length is 16 bits
            byte[] p = Naive.pseudoHeader(ip, protocol, l4);
            int at = r.nextInt(8);
            ByteBuffer b = Bytes.holding(ip, at, 70, i % 4 < 2, (byte) 0);
            assertEquals(Naive.sum(p, 0, p.length, 0),
                    InternetChecksum.fold(InternetChecksum.pseudoHeaderSum(b, at, version, protocol, l4)));
            assertEquals(InternetChecksum.fold(InternetChecksum.pseudoHeaderSum(b, at, version, protocol, l4)),
                    InternetChecksum.fold(InternetChecksum.pseudoHeaderSum(b, at, version, protocol, 0) + l4),
                    "linear in the length");
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void fuzzAgainstTheReference(boolean direct) {
        Random r = new Random(direct ? 1 : 2);
        ByteBuffer b = Bytes.allocate(4096, direct);
        byte[] d = new byte[4096];
        for (int i = 0; i < 20_000; i++) {
            int len = r.nextInt(i % 10 == 0 ? 4000 : 100);
            int off = r.nextInt(4096 - len + 1);
            if (i % 3 == 0) {
                java.util.Arrays.fill(d, off, off + len, (byte) (r.nextBoolean() ? 0xff : 0));
                for (int k = r.nextInt(4); k > 0 && len > 0; k--) d[off + r.nextInt(len)] = (byte) r.nextInt();
            } else {
                for (int k = off; k < off + len; k++) d[k] = (byte) r.nextInt();
            }
            b.put(off, d, off, len);
            assertEquals(Naive.sum(d, off, len, 0), InternetChecksum.fold(InternetChecksum.sum(b, off, len, 0)));
        }
    }

    @Test
    void positionAndLimitAreNotUsedOrMoved() {
        ByteBuffer b = ByteBuffer.allocateDirect(64);
        for (int i = 0; i < 64; i++) b.put(i, (byte) (i * 7));
        b.position(40).limit(50);
        long s = InternetChecksum.sum(b, 0, 40, 0);
        assertEquals(Naive.sum(b.duplicate().clear(), 0, 40, 0), InternetChecksum.fold(s));
        assertEquals(40, b.position());
        assertEquals(50, b.limit());
    }
}
