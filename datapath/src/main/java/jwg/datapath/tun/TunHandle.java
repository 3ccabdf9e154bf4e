package jwg.datapath.tun;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.IoEvent;
import io.netty.channel.IoRegistration;
import io.netty.channel.epoll.EpollIoEvent;
import io.netty.channel.epoll.EpollIoHandle;
import io.netty.channel.epoll.EpollIoOps;
import io.netty.channel.unix.FileDescriptor;
import java.lang.foreign.MemorySegment;
import jwg.sys.ErrnoException;
import jwg.tun.TunQueue;

/**
 * The TUN queue on the device's Netty epoll loop: readiness arrives in {@link #handle}, and each
 * wakeup reads a bounded burst of packets into pooled direct buffers, each laid out as
 * [HEADROOM | packet | room for padding and tag], so the packet is encrypted in place behind the
 * transport header. Writes of decrypted packets go straight from the receive buffer.
 */
public final class TunHandle implements EpollIoHandle {
    /** Room in front of each packet for the 16-byte transport header (whitepaper 5.4.6). */
    public static final int HEADROOM = 16;
    /** Room behind each packet for up to 15 bytes of padding and the 16-byte tag. */
    public static final int TAILROOM = 32;
    /** Packets read per wakeup before yielding to the other handles of the loop. */
    private static final int BURST = 64;

    /** Every native address, so that a buffer's memory address serves as an offset without allocating a segment. */
    @SuppressWarnings("restricted")
    private static final MemorySegment ALL = MemorySegment.NULL.reinterpret(Long.MAX_VALUE);

    /** Receives packets read from the TUN on the event loop; it takes ownership of the buffer. */
    public interface Reader {
        /** packet holds the IP packet at [HEADROOM, HEADROOM + length). */
        void packet(ByteBuf packet, int length);

        /** The end of a burst: flush what was queued. */
        void burstDone();

        /** The TUN failed (e.g. its interface was deleted: EBADFD). */
        void failed(ErrnoException e);
    }

    private final TunQueue queue;
    private final FileDescriptor fd;
    private final ByteBufAllocator alloc;
    private final Reader reader;
    private volatile int mtu;
    private IoRegistration registration;

    public TunHandle(TunQueue queue, int mtu, ByteBufAllocator alloc, Reader reader) {
        this.queue = queue;
        this.fd = new FileDescriptor(queue.fd());
        this.alloc = alloc;
        this.reader = reader;
        this.mtu = mtu;
    }

    public void setMtu(int mtu) {
        this.mtu = mtu;
    }

    /** Called once registered: starts watching for readability. */
    public void start(IoRegistration registration) {
        this.registration = registration;
        registration.submit(EpollIoOps.EPOLLIN);
    }

    @Override
    public FileDescriptor fd() {
        return fd;
    }

    @Override
    public void handle(IoRegistration registration, IoEvent event) {
        EpollIoOps ops = ((EpollIoEvent) event).ops();
        if (ops.contains(EpollIoOps.EPOLLERR)) {
            registration.cancel();
            reader.failed(new ErrnoException("epoll(tun)", jwg.sys.Errno.EBADFD));
            return;
        }
        int max = mtu;
        try {
            for (int i = 0; i < BURST; i++) {
                ByteBuf buf = alloc.directBuffer(HEADROOM + max + TAILROOM);
                int n;
                try {
                    n = queue.read(ALL, buf.memoryAddress() + HEADROOM, max);
                } catch (ErrnoException e) {
                    buf.release();
                    registration.cancel();
                    reader.failed(e);
                    return;
                }
                if (n < 0) {
                    buf.release();
                    break;
                }
                reader.packet(buf, n);
            }
        } finally {
            reader.burstDone();
        }
    }

    /** Writes an IP packet from buf[index, index + length); false if the kernel refused it. */
    public boolean write(ByteBuf buf, int index, int length) {
        try {
            return queue.write(ALL, buf.memoryAddress() + index, length) == length;
        } catch (ErrnoException e) {
            return false;
        }
    }

    @Override
    public void close() {
        if (registration != null) registration.cancel();
    }
}
