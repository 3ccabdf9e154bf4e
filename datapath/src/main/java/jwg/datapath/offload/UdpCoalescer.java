package jwg.datapath.offload;

import static jwg.datapath.offload.InternetChecksum.PROTOCOL_UDP;

import java.nio.ByteBuffer;

/**
 * Receive coalescing (GRO) of UDP for what we write to the TUN: consecutive datagrams of one flow,
 * all as long as the first but the last (which may be shorter), merged into one super-packet
 * written with a virtio_net_hdr of gso_type UDP_L4 (needs TUN_F_USO4/USO6, Linux 6.2). The kernel
 * cuts it back into the same datagrams (__udp_gso_segment) on its way to a socket without UDP_GRO,
 * or hands it whole to one with it. wireguard-go's tun/offload_linux.go udpGRO does the same job.
 *
 * <p>The rules, from the kernel's udp_gro_receive_segment (net/ipv4/udp_offload.c), those every
 * {@link Coalescer} keeps, and the IP rules of {@link IpHeaders#sameFlow}: same addresses, ports
 * and IP header fields. Also refused, so that segmentation gives back exactly what came: a
 * datagram with no payload, and one whose checksum field is 0 ("no checksum" over IPv4, RFC 768),
 * since segmentation would fill it in.
 */
public final class UdpCoalescer extends Coalescer {
    private static final int UDP_HEADER = 8;
    private static final int UDP_LENGTH = 4;

    public UdpCoalescer(ByteBuffer out) {
        super(out);
    }

    @Override
    public boolean add(ByteBuffer b, int off, int len) {
        if (off < 0 || len < IpHeaders.IPV4_HEADER_MIN + UDP_HEADER || off > b.limit() - len) return false;
        int ih = IpHeaders.headerLength(b, off, len, PROTOCOL_UDP);
        if (ih < 0 || ih + UDP_HEADER >= len) return false; // no payload: alone
        int u = off + ih;
        if ((b.getShort(u + UDP_LENGTH) & 0xffff) != len - ih || b.getShort(u + GsoSplitter.UDP_CHECKSUM) == 0) return false;
        int payload = len - ih - UDP_HEADER;
        int v = (b.get(off) & 0xff) >>> 4;
        if (segments == 0) {
            start(b, off, len, v, ih, payload);
            return true;
        }
        if (!fits(v, ih, payload) || !IpHeaders.sameFlow(b, off, ih, out, IP) || b.getInt(u) != out.getInt(IP + ih)) return false; // ports
        append(b, u + UDP_HEADER, payload);
        return true;
    }

    /** As {@link Coalescer#end}, UDP_L4, with the UDP length field set for the whole. */
    @Override
    public int finish() {
        if (segments > 1) out.putShort(IP + ipHeader + UDP_LENGTH, (short) (ipLength - ipHeader));
        return segments == 0 ? 0 : end(PROTOCOL_UDP, VirtioNetHdr.GSO_UDP_L4, UDP_HEADER, GsoSplitter.UDP_CHECKSUM);
    }
}
