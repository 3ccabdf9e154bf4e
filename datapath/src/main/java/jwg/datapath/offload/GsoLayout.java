package jwg.datapath.offload;

import java.nio.ByteBuffer;
import jwg.datapath.ip.IpPacket;

/**
 * How a packet read from a TUN with offloads will split: the IP length of its full-size segments
 * and how many there are, from the virtio_net_hdr's gso_type and gso_size and the packet's own
 * headers (the header's hdr_len is only a hint: Linux sets it to the linear part of the skb). The
 * datapath sizes the buffer of sealed segments with these before the split. All offsets absolute.
 */
public final class GsoLayout {
    private GsoLayout() {}

    private static final int TCP = 6;
    private static final int UDP = 17;

    /**
     * The IP length of each full segment of the packet [virtio_net_hdr | IP packet] at b[off,
     * off + len): the whole packet for gso_type NONE, else IP header + TCP/UDP header + gso_size;
     * -1 if the headers do not allow a split (the splitter then refuses the packet too).
     */
    public static int segmentLength(ByteBuffer b, int off, int len) {
        int ip = off + VirtioNetHdr.LENGTH;
        int ipLen = len - VirtioNetHdr.LENGTH;
        int type = type(b, off);
        if (type == VirtioNetHdr.GSO_NONE) return ipLen;
        int gsoSize = VirtioNetHdr.gsoSize(b, off);
        int headers = headersLength(b, ip, ipLen, type);
        return headers < 0 || gsoSize == 0 ? -1 : headers + gsoSize;
    }

    /** How many segments the packet splits into (1 for NONE); -1 as {@link #segmentLength}. */
    public static int segmentCount(ByteBuffer b, int off, int len) {
        int ip = off + VirtioNetHdr.LENGTH;
        int ipLen = len - VirtioNetHdr.LENGTH;
        int type = type(b, off);
        if (type == VirtioNetHdr.GSO_NONE) return 1;
        int gsoSize = VirtioNetHdr.gsoSize(b, off);
        int headers = headersLength(b, ip, ipLen, type);
        if (headers < 0 || gsoSize == 0 || ipLen < headers) return -1;
        return Math.max(1, (ipLen - headers + gsoSize - 1) / gsoSize); // no payload: the headers alone
    }

    /** gso_type; for TCP without the ECN bit, which only says that CWR goes on the first segment alone. */
    private static int type(ByteBuffer b, int off) {
        int type = VirtioNetHdr.gsoType(b, off);
        int plain = type & ~VirtioNetHdr.GSO_ECN;
        return plain == VirtioNetHdr.GSO_TCPV4 || plain == VirtioNetHdr.GSO_TCPV6 ? plain : type;
    }

    /** IP + TCP (or UDP) header length of a GSO packet, -1 if not TCPV4/TCPV6/UDP_L4 as expected. */
    private static int headersLength(ByteBuffer b, int ip, int ipLen, int type) {
        int version = IpPacket.version(b, ip, ipLen);
        int ipHeader;
        int protocol;
        if (version == 4) {
            ipHeader = (b.get(ip) & 0x0f) * 4;
            protocol = b.get(ip + 9) & 0xff;
        } else if (version == 6) {
            ipHeader = IpPacket.IPV6_HEADER_LEN;
            protocol = b.get(ip + 6) & 0xff;
        } else {
            return -1;
        }
        if (ipHeader < IpPacket.IPV4_HEADER_MIN || ipLen < ipHeader + 8) return -1;
        return switch (type) {
            case VirtioNetHdr.GSO_TCPV4, VirtioNetHdr.GSO_TCPV6 -> {
                if (protocol != TCP || ipLen < ipHeader + 20) yield -1;
                int tcpHeader = ((b.get(ip + ipHeader + 12) & 0xff) >>> 4) * 4;
                yield tcpHeader < 20 || ipLen < ipHeader + tcpHeader ? -1 : ipHeader + tcpHeader;
            }
            case VirtioNetHdr.GSO_UDP_L4 -> protocol == UDP ? ipHeader + 8 : -1;
            default -> -1;
        };
    }
}
