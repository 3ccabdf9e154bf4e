package jwg.datapath;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * Transport messages of single-packet TUN reads for one peer, sealed back to back in one buffer
 * during a burst of reads, so that they leave in one UDP GSO send instead of one datagram each
 * (what TSO does for TCP, done here for everything else: UDP, ICMP, TCP without TSO). A batch takes
 * messages of one length (its stride: a single packet's message is exactly its stride, so UDP GSO
 * cuts the batch where the messages end) to one endpoint; packets of another padded size start a
 * new batch. At most {@link Limits#GSO_SEGMENTS} messages and {@link Limits#GSO_BYTES} bytes, one
 * UDP GSO send. Loop-confined; the device flushes it at the end of each burst and before anything
 * else is sent.
 */
final class SendBatch {
    private final ByteBufAllocator alloc;
    private ByteBuf buf;
    private ByteBuffer nio;
    /** The NIO index of the buffer's byte 0 (the view's position moves while sealing). */
    private int base;
    private Peer peer;
    private InetSocketAddress to;
    private int stride;
    private int count;
    private int end;

    SendBatch(ByteBufAllocator alloc) {
        this.alloc = alloc;
    }

    boolean isEmpty() {
        return count == 0;
    }

    /** Whether a message of stride bytes at most for peer at to may join. */
    boolean accepts(Peer peer, InetSocketAddress to, int stride) {
        return count == 0 || (peer == this.peer && (to == this.to || to.equals(this.to)) && stride == this.stride
                && count < Limits.GSO_SEGMENTS && end + stride <= Limits.GSO_BYTES);
    }

    /** Where the next message goes: at {@link #nextOffset()} of this NIO view (starting an empty batch). */
    ByteBuffer open(Peer peer, InetSocketAddress to, int stride) {
        if (count == 0) {
            buf = alloc.directBuffer(Limits.GSO_BYTES, Limits.GSO_BYTES);
            nio = buf.internalNioBuffer(0, Limits.GSO_BYTES);
            base = nio.position();
            this.peer = peer;
            this.to = to;
            this.stride = stride;
            end = 0;
        }
        return nio;
    }

    /** The NIO index of the next message. */
    int nextOffset() {
        return base + end;
    }

    /** A message of stride bytes was sealed at {@link #nextOffset()}. */
    void added() {
        count++;
        end += stride;
    }

    /** Undoes {@link #open} of an empty batch when nothing was added. */
    void abandon() {
        if (count == 0 && buf != null) {
            buf.release();
            buf = null;
        }
    }

    Peer peer() { return peer; }

    InetSocketAddress to() { return to; }

    int stride() { return stride; }

    int bytes() { return end; }

    /** The messages, [0, bytes()), handed over with the buffer; the batch is empty afterwards. */
    ByteBuf take() {
        ByteBuf b = buf.setIndex(0, end);
        buf = null;
        nio = null;
        peer = null;
        to = null;
        count = 0;
        end = 0;
        return b;
    }

    /** Drops what is pending (the device is closing). */
    void release() {
        if (buf != null) buf.release();
        buf = null;
        count = 0;
    }
}
