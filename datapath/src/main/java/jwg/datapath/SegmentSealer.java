package jwg.datapath;

import java.nio.ByteBuffer;
import jwg.crypto.PacketAead;
import jwg.datapath.offload.GsoLayout;
import jwg.datapath.offload.GsoSplitter;
import jwg.noise.Protocol;
import jwg.noise.Transport;
import jwg.noise.keys.Keypair;

/**
 * Turns one TUN read ([virtio_net_hdr | IP packet], a single packet or a TSO/USO super-packet) into
 * transport messages laid out back to back in one buffer, ready for one UDP GSO send: the packet is
 * split into segments at a fixed stride, each behind room for its transport header, then each is
 * padded and sealed in place (whitepaper 5.4.6). Full segments all seal to exactly stride bytes;
 * only the last may be shorter, which is the layout UDP_SEGMENT wants. One instance per thread.
 */
public final class SegmentSealer {
    /** Room in front of each plaintext for the transport header. */
    public static final int HEADROOM = Protocol.TRANSPORT_HEADER_LEN;
    /** Room behind each plaintext for up to 15 bytes of padding and the 16-byte tag. */
    public static final int TAILROOM = 32;

    private final PacketAead aead;
    /** The IP length of each segment after {@link #split}; each message's length after {@link #seal}. */
    private final int[] lengths = new int[Limits.GSO_SEGMENTS];
    private int end;
    private boolean backToBack;

    public SegmentSealer(PacketAead aead) {
        this.aead = aead;
    }

    /** The distance between segments of the read at in[off, off + len) once sealed, or -1 if it cannot be split. */
    public static int stride(ByteBuffer in, int off, int len, int mtu) {
        int segmentLength = GsoLayout.segmentLength(in, off, len);
        return segmentLength < 0 ? -1 : Transport.messageLength(segmentLength, mtu);
    }

    /** How many segments the read splits into, or -1 if it cannot be split (or into more than {@link Limits#GSO_SEGMENTS}). */
    public static int segments(ByteBuffer in, int off, int len) {
        int n = GsoLayout.segmentCount(in, off, len);
        return n > Limits.GSO_SEGMENTS ? -1 : n;
    }

    /**
     * Splits the read at in[off, off + len) into out: segment i's IP packet at out[base + i * stride
     * + HEADROOM]. out must hold segments() * stride bytes from base. Returns the number of
     * segments, or -1 if the packet is malformed.
     */
    public int split(ByteBuffer in, int off, int len, ByteBuffer out, int base, int stride) {
        return GsoSplitter.split(in, off, len, out, base + HEADROOM, stride, lengths);
    }

    /** The IP length of segment i after {@link #split}, its message length after {@link #seal}. */
    public int length(int i) {
        return lengths[i];
    }

    /**
     * Seals segments [0, n) in place with consecutive counters of kp, writing each transport
     * header. Returns how many were sealed: fewer than n once kp's counters run out
     * (REJECT_AFTER_MESSAGES, whitepaper 6.1), the rest left as plaintext. Afterwards
     * {@link #end()} is where the last sealed message ends (relative to base) and
     * {@link #backToBack()} whether the messages are contiguous at stride, as UDP GSO needs.
     */
    public int seal(Keypair kp, ByteBuffer out, int base, int n, int stride, int mtu) {
        int sealed = 0;
        end = 0;
        backToBack = true;
        for (; sealed < n; sealed++) {
            long counter = kp.nextSendCounter();
            if (counter == Keypair.COUNTER_EXHAUSTED) break;
            int total = seal(kp, counter, out, base + sealed * stride, lengths[sealed], mtu);
            if (total != stride && sealed < n - 1) backToBack = false;
            end = sealed * stride + total;
            lengths[sealed] = total;
        }
        return sealed;
    }

    public int end() {
        return end;
    }

    public boolean backToBack() {
        return backToBack;
    }

    /**
     * Pads (whitepaper 5.4.6: to a multiple of 16, at most the MTU) and seals in place the
     * plaintext of len bytes at o[at + HEADROOM], and writes the transport header at o[at];
     * returns the message's length. o needs TAILROOM bytes behind the plaintext.
     */
    public int seal(Keypair kp, long counter, ByteBuffer o, int at, int len, int mtu) {
        int padded = Transport.paddedLength(len, mtu);
        for (int i = at + HEADROOM + len, stop = at + HEADROOM + padded; i < stop; i++) o.put(i, (byte) 0);
        int limit = o.limit();
        o.limit(at + HEADROOM + padded).position(at + HEADROOM);
        aead.seal(kp.sendKey(), counter, o);
        o.limit(limit).position(at);
        Transport.writeHeader(o, at, kp.remoteIndex(), counter);
        return HEADROOM + padded + PacketAead.TAG_LEN;
    }
}
