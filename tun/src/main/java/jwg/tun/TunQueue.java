package jwg.tun;

import java.lang.foreign.MemorySegment;

import jwg.sys.Errno;
import jwg.sys.ErrnoException;
import jwg.sys.Libc;

/**
 * One queue (one non-blocking fd) of a {@link TunDevice}. Each read returns one whole IP packet
 * (IFF_NO_PI: no packet-information prefix); each write injects one.
 * <p>
 * Not thread-safe in the sense of closing: read and write may run on different threads, but
 * {@link TunDevice#close} must only be called once no thread uses the queue any more (a closed
 * fd number can be reused by the process at once).
 */
public final class TunQueue {
    private int fd;

    TunQueue(int fd) {
        this.fd = fd;
    }

    /** The file descriptor, for registering with an event loop (readable: a packet is waiting). */
    public int fd() {
        return fd;
    }

    /**
     * Reads one packet into {@code dst[off, off + max)}. {@code max} should be at least the MTU:
     * the kernel silently truncates a longer packet and returns {@code max} (only the IP header's
     * length field tells). Allocates nothing.
     *
     * @param dst a native segment
     * @return the packet's length, or -1 if no packet is waiting (EAGAIN)
     * @throws ErrnoException e.g. EBADFD once the interface has been deleted
     */
    public int read(MemorySegment dst, long off, int max) throws ErrnoException {
        for (;;) {
            int n = Libc.read(fd, dst, off, max);
            if (n >= 0) {
                return n;
            }
            if (n == -Errno.EAGAIN) {
                return -1;
            }
            if (n != -Errno.EINTR) {
                throw new ErrnoException("read(tun)", -n);
            }
        }
    }

    /**
     * Writes one IP packet, {@code src[off, off + len)}, into the kernel as if received on the
     * interface. Allocates nothing.
     *
     * @param src a native segment
     * @return {@code len}, or -1 if the queue cannot take it now (EAGAIN)
     * @throws ErrnoException e.g. EIO while the interface is down, EINVAL for a malformed packet
     */
    public int write(MemorySegment src, long off, int len) throws ErrnoException {
        for (;;) {
            int n = Libc.write(fd, src, off, len);
            if (n >= 0) {
                return n;
            }
            if (n == -Errno.EAGAIN) {
                return -1;
            }
            if (n != -Errno.EINTR) {
                throw new ErrnoException("write(tun)", -n);
            }
        }
    }

    void close() {
        if (fd >= 0) {
            Libc.close(fd);
            fd = -1;
        }
    }
}
