package jwg.datapath.offload;

import java.nio.ByteBuffer;

/**
 * struct virtio_net_hdr (include/uapi/linux/virtio_net.h; virtio 1.2 spec 5.1.6), the 10 bytes the
 * kernel puts before every packet on a TUN opened with IFF_VNET_HDR (and expects before every packet
 * written to it):
 *
 * <pre>
 *   0  u8   flags        NEEDS_CSUM, DATA_VALID
 *   1  u8   gso_type     NONE, TCPV4, UDP, TCPV6, UDP_L4, | ECN
 *   2  le16 hdr_len      length of the headers (a hint: see GsoSplitter)
 *   4  le16 gso_size     payload bytes per segment (the MSS for TCP)
 *   6  le16 csum_start   where the checksummed range starts, from the start of the IP packet
 *   8  le16 csum_offset  where in that range the 16-bit checksum goes
 * </pre>
 *
 * The 16-bit fields are little-endian: the TUN's vnet header is in the host's order unless
 * TUNSETVNETBE says otherwise (drivers/net/tun.c tun_is_little_endian), and the host is x86-64 or
 * arm64; virtio 1.0 fixed it to little-endian as well. Buffers are big-endian (network fields), so
 * the accessors swap bytes. All offsets are absolute indices; nothing here moves position or limit.
 */
public final class VirtioNetHdr {
    private VirtioNetHdr() {}

    /** sizeof(struct virtio_net_hdr); no num_buffers since we never set TUNSETVNETHDRSZ. */
    public static final int LENGTH = 10;

    /** flags: the checksum from csum_start to the end must still be computed (CHECKSUM_PARTIAL). */
    public static final int FLAG_NEEDS_CSUM = 1;
    /** flags: the checksum has been verified (CHECKSUM_UNNECESSARY). */
    public static final int FLAG_DATA_VALID = 2;

    public static final int GSO_NONE = 0;
    public static final int GSO_TCPV4 = 1;
    /** Legacy UFO: one UDP datagram sent as IP fragments; we never enable TUN_F_UFO. */
    public static final int GSO_UDP = 3;
    public static final int GSO_TCPV6 = 4;
    /** USO: UDP datagrams of gso_size payload each (Linux 6.2, TUN_F_USO4/6). */
    public static final int GSO_UDP_L4 = 5;
    /** Or'ed into gso_type: the first TCP segment carries CWR (SKB_GSO_TCP_ECN). */
    public static final int GSO_ECN = 0x80;

    private static final int FLAGS = 0;
    private static final int GSO_TYPE = 1;
    private static final int HDR_LEN = 2;
    private static final int GSO_SIZE = 4;
    private static final int CSUM_START = 6;
    private static final int CSUM_OFFSET = 8;

    public static int flags(ByteBuffer b, int at) {
        return b.get(at + FLAGS) & 0xff;
    }

    public static void flags(ByteBuffer b, int at, int flags) {
        b.put(at + FLAGS, (byte) flags);
    }

    public static int gsoType(ByteBuffer b, int at) {
        return b.get(at + GSO_TYPE) & 0xff;
    }

    public static void gsoType(ByteBuffer b, int at, int gsoType) {
        b.put(at + GSO_TYPE, (byte) gsoType);
    }

    public static int hdrLen(ByteBuffer b, int at) {
        return le16(b, at + HDR_LEN);
    }

    public static void hdrLen(ByteBuffer b, int at, int v) {
        le16(b, at + HDR_LEN, v);
    }

    public static int gsoSize(ByteBuffer b, int at) {
        return le16(b, at + GSO_SIZE);
    }

    public static void gsoSize(ByteBuffer b, int at, int v) {
        le16(b, at + GSO_SIZE, v);
    }

    public static int csumStart(ByteBuffer b, int at) {
        return le16(b, at + CSUM_START);
    }

    public static void csumStart(ByteBuffer b, int at, int v) {
        le16(b, at + CSUM_START, v);
    }

    public static int csumOffset(ByteBuffer b, int at) {
        return le16(b, at + CSUM_OFFSET);
    }

    public static void csumOffset(ByteBuffer b, int at, int v) {
        le16(b, at + CSUM_OFFSET, v);
    }

    /** All ten bytes zero: no checksum to complete, no segmentation (what a plain packet carries). */
    public static void clear(ByteBuffer b, int at) {
        b.putLong(at, 0L);
        b.putShort(at + 8, (short) 0);
    }

    private static int le16(ByteBuffer b, int at) {
        return Short.reverseBytes(b.getShort(at)) & 0xffff;
    }

    private static void le16(ByteBuffer b, int at, int v) {
        b.putShort(at, Short.reverseBytes((short) v));
    }
}
