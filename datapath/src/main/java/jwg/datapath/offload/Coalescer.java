package jwg.datapath.offload;

import java.nio.ByteBuffer;

/**
 * Receive coalescing (GRO) of decrypted packets into one TUN write: {@link TcpCoalescer} and
 * {@link UdpCoalescer}. Per packet: {@code add}; when it says false, {@code finish} and write
 * what is pending, then {@code add} the packet again, and if that says false too, write the
 * packet alone (with a zeroed virtio header). At the end of a burst, {@code finish} and write.
 */
public interface Coalescer {
    /**
     * Takes the IP packet b[off, off + len): as the start of a new super-packet when nothing is
     * pending and it can be merged at all, or appended to the pending one when it continues it.
     * False, with nothing changed, otherwise.
     */
    boolean add(ByteBuffer b, int off, int len);

    boolean hasPending();

    /**
     * Completes the pending packet in {@link #out} and returns how many bytes of it to write from
     * 0 (virtio header and IP packet), or 0 when nothing is pending; nothing is pending afterwards.
     */
    int finish();

    /** Where the super-packet is built: the virtio header at 0, the IP packet at 10. */
    ByteBuffer out();
}
