package jwg.datapath.offload;

import static jwg.datapath.offload.InternetChecksum.PROTOCOL_UDP;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Receive coalescing (GRO) of UDP for what we write to the TUN: consecutive datagrams of one flow,
 * all as long as the first but the last (which may be shorter), merged into one super-packet
 * written with a virtio_net_hdr of gso_type UDP_L4 (needs TUN_F_USO4/USO6, Linux 6.2). The kernel
 * cuts it back into the same datagrams (__udp_gso_segment) on its way to a socket without UDP_GRO,
 * or hands it whole to one with it. wireguard-go's tun/offload_linux.go udpGRO does the same job.
 *
 * <p>The rules, from the kernel's udp_gro_receive_segment (net/ipv4/udp_offload.c) and the IP
 * rules of {@link IpHeaders#sameFlow}: same addresses, ports and IP header fields; the first
 * datagram's payload is the gso_size, later ones as long or, once, shorter (which ends the run);
 * at most {@link #MAX_SEGMENTS} datagrams and {@link #MAX_IP_LENGTH} bytes. Also refused, so that
 * segmentation gives back exactly what came: a datagram with no payload, and one whose checksum
 * field is 0 ("no checksum" over IPv4, RFC 768), since segmentation would fill it in.
 *
 * <p>Checksums are not verified and the super-packet's is left to the kernel (CHECKSUM_PARTIAL),
 * for the reasons {@link TcpCoalescer} gives. Not thread-safe; big-endian buffers; absolute
 * indices; nothing is allocated after construction.
 */
public final class UdpCoalescer implements Coalescer {
    public static final int MAX_SEGMENTS = TcpCoalescer.MAX_SEGMENTS;
    public static final int MAX_IP_LENGTH = TcpCoalescer.MAX_IP_LENGTH;
    public static final int MIN_CAPACITY = TcpCoalescer.MIN_CAPACITY;

    private static final int IP = VirtioNetHdr.LENGTH;
    private static final int UDP_HEADER = 8;

    private final ByteBuffer out;
    private int segments;
    private int version;
    private int ipHeader;
    private int ipLength;
    private int gsoSize;
    private boolean shortTaken;

    /** out receives the virtio header at 0 and the packet at 10; big-endian, at least {@link #MIN_CAPACITY} bytes. */
    public UdpCoalescer(ByteBuffer out) {
        if (out.limit() < MIN_CAPACITY) throw new IllegalArgumentException("out must hold " + MIN_CAPACITY + " bytes");
        if (out.order() != ByteOrder.BIG_ENDIAN) throw new IllegalArgumentException("out must be big-endian");
        this.out = out;
    }

    @Override
    public ByteBuffer out() {
        return out;
    }

    @Override
    public boolean hasPending() {
        return segments != 0;
    }

    /**
     * Takes the IP packet b[off, off + len): as the start of a new super-packet when nothing is
     * pending and it can be merged at all, or appended to the pending one when it continues it.
     * False, with nothing changed, otherwise.
     */
    @Override
    public boolean add(ByteBuffer b, int off, int len) {
        if (off < 0 || len < IpHeaders.IPV4_HEADER_MIN + UDP_HEADER || off > b.limit() - len) return false;
        int ih = IpHeaders.headerLength(b, off, len, PROTOCOL_UDP);
        if (ih < 0 || ih + UDP_HEADER >= len) return false; // no payload: alone
        int u = off + ih;
        if ((b.getShort(u + 4) & 0xffff) != len - ih || b.getShort(u + GsoSplitter.UDP_CHECKSUM) == 0) return false;
        int payload = len - ih - UDP_HEADER;
        int v = (b.get(off) & 0xff) >>> 4;
        if (segments == 0) {
            out.put(IP, b, off, len);
            segments = 1;
            version = v;
            ipHeader = ih;
            ipLength = len;
            gsoSize = payload;
            shortTaken = false;
            return true;
        }
        if (v != version || ih != ipHeader || shortTaken || payload > gsoSize) return false;
        if (segments >= MAX_SEGMENTS || ipLength + payload > MAX_IP_LENGTH) return false;
        if (!IpHeaders.sameFlow(b, off, ih, out, IP) || b.getInt(u) != out.getInt(IP + ih)) return false; // ports
        out.put(IP + ipLength, b, off + ih + UDP_HEADER, payload);
        ipLength += payload;
        segments++;
        shortTaken = payload < gsoSize;
        return true;
    }

    /**
     * Completes the pending packet in out and returns how many bytes of out to write from 0, or 0
     * when nothing is pending. One datagram: a zero virtio header and the packet as it came. More:
     * the IP and UDP lengths for the whole and a virtio header NEEDS_CSUM, UDP_L4, hdr_len = the
     * headers, gso_size = the first datagram's payload, csum_start = the IP header's length,
     * csum_offset = 6, the UDP checksum field holding the pseudo-header's sum (CHECKSUM_PARTIAL).
     */
    @Override
    public int finish() {
        if (segments == 0) return 0;
        if (segments == 1) {
            VirtioNetHdr.clear(out, 0);
        } else {
            IpHeaders.setLength(out, IP, ipHeader, ipLength);
            int udpLength = ipLength - ipHeader;
            out.putShort(IP + ipHeader + 4, (short) udpLength);
            long pseudo = InternetChecksum.pseudoHeaderSum(out, IP, version, PROTOCOL_UDP, udpLength);
            out.putShort(IP + ipHeader + GsoSplitter.UDP_CHECKSUM, (short) InternetChecksum.fold(pseudo));
            VirtioNetHdr.flags(out, 0, VirtioNetHdr.FLAG_NEEDS_CSUM);
            VirtioNetHdr.gsoType(out, 0, VirtioNetHdr.GSO_UDP_L4);
            VirtioNetHdr.hdrLen(out, 0, ipHeader + UDP_HEADER);
            VirtioNetHdr.gsoSize(out, 0, gsoSize);
            VirtioNetHdr.csumStart(out, 0, ipHeader);
            VirtioNetHdr.csumOffset(out, 0, GsoSplitter.UDP_CHECKSUM);
        }
        int n = IP + ipLength;
        segments = 0;
        return n;
    }
}
