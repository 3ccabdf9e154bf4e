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
import jwg.datapath.Limits;
import jwg.datapath.offload.VirtioNetHdr;
import jwg.sys.Errno;
import jwg.sys.ErrnoException;
import jwg.tun.TunQueue;

/**
 * The TUN queue on the device's Netty epoll loop: readiness arrives in {@link #handle}, and each
 * wakeup reads a bounded burst of packets ({@link Limits#TUN_BURST}, {@link Limits#TUN_BURST_BYTES}) into one reused direct buffer, always laid out as
 * [virtio_net_hdr | IP packet]: a device opened with IFF_VNET_HDR writes the header itself (and may
 * hand over super-packets of up to 64 KiB), for one without it the header is zeroed here ("no
 * offload"), so the datapath sees one format. Writes take the same layout; without IFF_VNET_HDR
 * the header is skipped.
 */
public final class TunHandle implements EpollIoHandle, TunSink {
    /** The largest read: a virtio_net_hdr and an IP packet of the largest IPv4/IPv6 (non-jumbo) size. */
    public static final int MAX_READ = VirtioNetHdr.LENGTH + Limits.MAX_IP_LENGTH;

    /** Every native address, so that a buffer's memory address serves as an offset without allocating a segment. */
    @SuppressWarnings("restricted")
    private static final MemorySegment ALL = MemorySegment.NULL.reinterpret(Long.MAX_VALUE);

    /** Receives packets read from the TUN on the event loop. */
    public interface Reader {
        /**
         * buf holds [virtio_net_hdr | IP packet] at [0, length); it is reused for the next read as
         * soon as this returns, so the reader copies what it keeps.
         */
        void packet(ByteBuf buf, int length);

        /** The end of a burst: flush what was queued. */
        void burstDone();

        /** The TUN failed (e.g. its interface was deleted: EBADFD). */
        void failed(ErrnoException e);
    }

    private final TunQueue queue;
    private final boolean vnetHdr;
    private final FileDescriptor fd;
    private final ByteBuf readBuffer;
    private final Reader reader;
    private IoRegistration registration;

    public TunHandle(TunQueue queue, boolean vnetHdr, ByteBufAllocator alloc, Reader reader) {
        this.queue = queue;
        this.vnetHdr = vnetHdr;
        this.fd = new FileDescriptor(queue.fd());
        this.readBuffer = alloc.directBuffer(MAX_READ, MAX_READ);
        this.reader = reader;
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
            reader.failed(new ErrnoException("epoll(tun)", Errno.EBADFD));
            return;
        }
        int skip = vnetHdr ? 0 : VirtioNetHdr.LENGTH;
        long address = readBuffer.memoryAddress();
        try {
            for (int i = 0, bytes = 0; i < Limits.TUN_BURST && bytes < Limits.TUN_BURST_BYTES; i++) {
                int n;
                try {
                    n = queue.read(ALL, address + skip, MAX_READ - skip);
                } catch (ErrnoException e) {
                    registration.cancel();
                    reader.failed(e);
                    return;
                }
                if (n < 0) break;
                bytes += n;
                if (!vnetHdr) readBuffer.setZero(0, VirtioNetHdr.LENGTH);
                reader.packet(readBuffer, n + skip);
            }
        } finally {
            reader.burstDone();
        }
    }

    /**
     * Writes [virtio_net_hdr | IP packet] from buf[index, index + length) (without IFF_VNET_HDR
     * only the packet, and the header must then be zero). Returns 0, or the errno the kernel refused
     * it with (EINVAL: a malformed packet or an offload the kernel does not take).
     */
    @Override
    public int write(ByteBuf buf, int index, int length) {
        int skip = vnetHdr ? 0 : VirtioNetHdr.LENGTH;
        try {
            int n = queue.write(ALL, buf.memoryAddress() + index + skip, length - skip);
            return n < 0 ? Errno.EAGAIN : 0;
        } catch (ErrnoException e) {
            return e.errno();
        }
    }

    @Override
    public void close() {
        if (registration != null) registration.cancel();
        readBuffer.release();
    }
}
