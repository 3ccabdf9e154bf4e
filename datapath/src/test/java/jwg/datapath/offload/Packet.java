package jwg.datapath.offload;

import java.nio.ByteBuffer;

/**
 * Builds IPv4/IPv6 TCP/UDP packets field by field, as the RFCs lay them out (RFC 791 3.1,
 * RFC 8200 3, RFC 9293 3.1, RFC 768), with checksums from {@link Naive}. Fields are public to the
 * tests so that each can be changed alone; {@link #copy} before changing a shared one.
 */
final class Packet implements Cloneable {
    static final int FIN = 0x01, SYN = 0x02, RST = 0x04, PSH = 0x08, ACK = 0x10, URG = 0x20, ECE = 0x40, CWR = 0x80;

    /** What the transport checksum field holds. */
    enum Checksum {
        /** The complete checksum, a computed 0 sent as 0xffff (RFC 768; Linux's CSUM_MANGLED_0). */
        FULL,
        /** The folded pseudo-header sum, as Linux leaves it for CHECKSUM_PARTIAL. */
        PARTIAL,
        /** Whatever {@link #checksumValue} says. */
        GIVEN
    }

    int version = 4;
    byte[] src = {10, 0, 0, 1};
    byte[] dst = {10, 0, 0, 2};
    int tos = 0; // traffic class for IPv6
    int ttl = 64; // hop limit for IPv6
    int id = 0x1234;
    /** Flags and fragment offset, the 16 bits at IPv4 header offset 6: DF. */
    int fragmentField = 0x4000;
    int flowLabel = 0;
    byte[] ipOptions = {};
    int protocol = 6; // next header for IPv6
    int srcPort = 40000;
    int dstPort = 443;
    int seq = 1_000_000;
    int ack = 77_777;
    int flags = ACK;
    /** The 4 bits between data offset and flags (3 reserved, AE). */
    int reservedBits = 0;
    int window = 512;
    int urgent = 0;
    byte[] tcpOptions = {};
    byte[] payload = {};
    Checksum checksum = Checksum.FULL;
    int checksumValue;
    /** When >= 0, the data offset written instead of the real one (for malformed packets). */
    int dataOffsetOverride = -1;

    static Packet tcp4() {
        return new Packet();
    }

    static Packet tcp6() {
        Packet p = new Packet();
        p.version = 6;
        p.src = Bytes.hex("fd000000000000000000000000000001");
        p.dst = Bytes.hex("fd0000000000000000000000000000ff");
        p.flowLabel = 0x5a5a5;
        return p;
    }

    static Packet udp4() {
        Packet p = tcp4();
        p.protocol = 17;
        return p;
    }

    static Packet udp6() {
        Packet p = tcp6();
        p.protocol = 17;
        return p;
    }

    /** NOP, NOP, timestamps (RFC 7323 3): the options a Linux TCP carries on every segment. */
    static byte[] timestamps(int tsVal, int tsEcr) {
        ByteBuffer b = ByteBuffer.allocate(12);
        b.put((byte) 1).put((byte) 1).put((byte) 8).put((byte) 10).putInt(tsVal).putInt(tsEcr);
        return b.array();
    }

    static byte[] payload(int length, int seed) {
        byte[] d = new byte[length];
        for (int i = 0; i < length; i++) d[i] = (byte) (i * 31 + seed * 7 + (i >>> 8));
        return d;
    }

    Packet copy() {
        try {
            return (Packet) clone();
        } catch (CloneNotSupportedException e) {
            throw new AssertionError(e);
        }
    }

    boolean isTcp() {
        return protocol == 6;
    }

    int ipHeaderLength() {
        return version == 4 ? 20 + ipOptions.length : 40;
    }

    int transportHeaderLength() {
        return isTcp() ? 20 + tcpOptions.length : 8;
    }

    int headersLength() {
        return ipHeaderLength() + transportHeaderLength();
    }

    byte[] build() {
        int ih = ipHeaderLength();
        int l4Length = transportHeaderLength() + payload.length;
        ByteBuffer b = ByteBuffer.allocate(ih + l4Length);
        if (version == 4) {
            b.put((byte) (0x40 | ih / 4)).put((byte) tos).putShort((short) (ih + l4Length));
            b.putShort((short) id).putShort((short) fragmentField);
            b.put((byte) ttl).put((byte) protocol).putShort((short) 0).put(src).put(dst).put(ipOptions);
            b.putShort(10, (short) Naive.checksum(b.array(), 0, ih));
        } else {
            b.putInt(0x60000000 | (tos & 0xff) << 20 | flowLabel & 0xfffff);
            b.putShort((short) l4Length).put((byte) protocol).put((byte) ttl).put(src).put(dst);
        }
        int checksumAt;
        if (isTcp()) {
            int dataOffset = dataOffsetOverride >= 0 ? dataOffsetOverride : (20 + tcpOptions.length) / 4;
            b.putShort((short) srcPort).putShort((short) dstPort).putInt(seq).putInt(ack);
            b.put((byte) (dataOffset << 4 | reservedBits)).put((byte) flags).putShort((short) window);
            b.putShort((short) 0).putShort((short) urgent).put(tcpOptions);
            checksumAt = ih + 16;
        } else {
            b.putShort((short) srcPort).putShort((short) dstPort).putShort((short) l4Length).putShort((short) 0);
            checksumAt = ih + 6;
        }
        b.put(payload);
        byte[] ip = b.array();
        byte[] pseudo = Naive.pseudoHeader(ip, protocol, l4Length);
        int pseudoSum = Naive.sum(pseudo, 0, pseudo.length, 0);
        int c = switch (checksum) {
            case FULL -> {
                int v = ~Naive.sum(ip, ih, l4Length, pseudoSum) & 0xffff;
                yield v == 0 ? 0xffff : v;
            }
            case PARTIAL -> pseudoSum;
            case GIVEN -> checksumValue;
        };
        b.putShort(checksumAt, (short) c);
        return ip;
    }
}
