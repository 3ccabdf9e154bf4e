package jwg.datapath.offload;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * TSO/USO super-packets as the kernel hands them to a TUN (transport checksum left as the
 * pseudo-header sum, CHECKSUM_PARTIAL; virtio header from virtio_net_hdr_from_skb), and the
 * segments the kernel's own segmentation would make of them, built independently, field by field.
 */
final class Gso {
    private Gso() {}

    /** template with the whole payload, as a super-packet: virtio header then IP packet. */
    static byte[] superPacket(Packet template, int mss) {
        Packet p = template.copy();
        p.checksum = Packet.Checksum.PARTIAL;
        byte[] ip = p.build();
        int type = !p.isTcp() ? VirtioNetHdr.GSO_UDP_L4 : p.version == 4 ? VirtioNetHdr.GSO_TCPV4 : VirtioNetHdr.GSO_TCPV6;
        return Bytes.concat(header(VirtioNetHdr.FLAG_NEEDS_CSUM, type, p.headersLength(), mss,
                p.ipHeaderLength(), p.isTcp() ? 16 : 6), ip);
    }

    static byte[] header(int flags, int type, int hdrLen, int gsoSize, int csumStart, int csumOffset) {
        return new byte[] {(byte) flags, (byte) type, (byte) hdrLen, (byte) (hdrLen >>> 8), (byte) gsoSize,
            (byte) (gsoSize >>> 8), (byte) csumStart, (byte) (csumStart >>> 8), (byte) csumOffset, (byte) (csumOffset >>> 8)};
    }

    /**
     * The segments: payload cut in mss pieces, seq advanced by each, IPv4 id up by one each, FIN and
     * PSH on the last only, CWR on the first only, each with its own lengths and full checksums.
     */
    static List<byte[]> expectedSegments(Packet template, int mss) {
        List<byte[]> out = new ArrayList<>();
        byte[] payload = template.payload;
        int count = payload.length == 0 ? 1 : (payload.length + mss - 1) / mss;
        for (int i = 0; i < count; i++) {
            Packet s = template.copy();
            s.checksum = Packet.Checksum.FULL;
            s.payload = Arrays.copyOfRange(payload, i * mss, Math.min(payload.length, (i + 1) * mss));
            s.id = (template.id + i) & 0xffff;
            if (s.isTcp()) {
                s.seq = template.seq + i * mss;
                if (i != count - 1) s.flags &= ~(Packet.FIN | Packet.PSH);
                if (i != 0) s.flags &= ~Packet.CWR;
            }
            out.add(s.build());
        }
        return out;
    }
}
