package jwg.datapath.offload;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import jwg.datapath.Limits;

/**
 * Receive coalescing (GRO) of decrypted packets into one TUN write: {@link TcpCoalescer} and
 * {@link UdpCoalescer}. Per packet: {@code add}; when it says false, {@code finish} and write
 * what is pending, then {@code add} the packet again, and if that says false too, write the
 * packet alone (with a zeroed virtio header). At the end of a burst, {@code finish} and write.
 *
 * <p>What both share: the super-packet is built in out (virtio header at 0, IP packet at 10) from
 * a first packet's headers and payload and the payloads of those that continue it; the first
 * packet's payload length is the gso_size, later ones as long or, once, shorter (which ends the
 * run: the kernel's GRO rule, so that segmentation gives back the same packets); at most
 * {@link Limits#GSO_SEGMENTS} packets and {@link Limits#MAX_IP_LENGTH} bytes. The transport checksums are not
 * verified; the super-packet's is left to the kernel (CHECKSUM_PARTIAL: see {@link TcpCoalescer}).
 *
 * <p>Not thread-safe: one per TUN writer. Buffers must be big-endian; indices are absolute; nothing
 * is allocated after construction.
 */
public abstract sealed class Coalescer permits TcpCoalescer, UdpCoalescer {
    /** The smallest out buffer: a virtio header and the largest IP packet. */
    public static final int MIN_CAPACITY = VirtioNetHdr.LENGTH + Limits.MAX_IP_LENGTH;

    /** Where the pending packet's IP header is in out. */
    static final int IP = VirtioNetHdr.LENGTH;

    final ByteBuffer out;
    /** Packets in the pending super-packet; 0: nothing pending. */
    int segments;
    int version;
    int ipHeader;
    int ipLength;
    int gsoSize;
    private boolean shortTaken;

    /** out receives the virtio header at 0 and the packet at 10; big-endian, at least {@link #MIN_CAPACITY} bytes. */
    Coalescer(ByteBuffer out) {
        if (out.limit() < MIN_CAPACITY) throw new IllegalArgumentException("out must hold " + MIN_CAPACITY + " bytes");
        if (out.order() != ByteOrder.BIG_ENDIAN) throw new IllegalArgumentException("out must be big-endian");
        this.out = out;
    }

    /**
     * Takes the IP packet b[off, off + len): as the start of a new super-packet when nothing is
     * pending and it can be merged at all, or appended to the pending one when it continues it.
     * False, with nothing changed, otherwise.
     */
    public abstract boolean add(ByteBuffer b, int off, int len);

    /**
     * Completes the pending packet in {@link #out} and returns how many bytes of it to write from
     * 0 (virtio header and IP packet), or 0 when nothing is pending; nothing is pending afterwards.
     * One packet: a zero virtio header and the packet as it came.
     */
    public abstract int finish();

    /** Where the super-packet is built: the virtio header at 0, the IP packet at 10. */
    public final ByteBuffer out() {
        return out;
    }

    public final boolean hasPending() {
        return segments != 0;
    }

    /** Starts a super-packet with the packet b[off, off + len) of IP version v, IP header ih, payload bytes. */
    final void start(ByteBuffer b, int off, int len, int v, int ih, int payload) {
        out.put(IP, b, off, len);
        segments = 1;
        version = v;
        ipHeader = ih;
        ipLength = len;
        gsoSize = payload;
        shortTaken = false;
    }

    /** Whether a packet of IP version v, IP header ih and payload bytes may follow by length and count. */
    final boolean fits(int v, int ih, int payload) {
        return v == version && ih == ipHeader && !shortTaken && payload <= gsoSize
                && segments < Limits.GSO_SEGMENTS && ipLength + payload <= Limits.MAX_IP_LENGTH;
    }

    /** Appends the payload b[at, at + payload) of a packet that continues the pending one. */
    final void append(ByteBuffer b, int at, int payload) {
        out.put(IP + ipLength, b, at, payload);
        ipLength += payload;
        segments++;
        shortTaken = payload < gsoSize;
    }

    /**
     * Ends the pending packet: alone, a zero virtio header; else the IP lengths (and IPv4 header
     * checksum) for the whole, the transport checksum field at checksumOffset holding the
     * pseudo-header sum for the new length, folded and not complemented (what CHECKSUM_PARTIAL
     * means, include/linux/skbuff.h), and a virtio header NEEDS_CSUM of gsoType, hdr_len = the
     * headers, gso_size, csum_start = the IP header's length, csum_offset. Returns the bytes to write.
     */
    final int end(int protocol, int gsoType, int transportHeader, int checksumOffset) {
        if (segments == 1) {
            VirtioNetHdr.clear(out, 0);
        } else {
            IpHeaders.setLength(out, IP, ipHeader, ipLength);
            long pseudo = InternetChecksum.pseudoHeaderSum(out, IP, version, protocol, ipLength - ipHeader);
            out.putShort(IP + ipHeader + checksumOffset, (short) InternetChecksum.fold(pseudo));
            VirtioNetHdr.flags(out, 0, VirtioNetHdr.FLAG_NEEDS_CSUM);
            VirtioNetHdr.gsoType(out, 0, gsoType);
            VirtioNetHdr.hdrLen(out, 0, ipHeader + transportHeader);
            VirtioNetHdr.gsoSize(out, 0, gsoSize);
            VirtioNetHdr.csumStart(out, 0, ipHeader);
            VirtioNetHdr.csumOffset(out, 0, checksumOffset);
        }
        int n = IP + ipLength;
        segments = 0;
        return n;
    }
}
