package jwg.sys;

import java.io.IOException;

/**
 * A failed system call or kernel request: the errno and the name of the call, e.g.
 * {@code ioctl(TUNSETIFF): EBUSY (Device or resource busy)}. Netlink errors use it too, with the
 * kernel's extended-ACK text as detail when it sends one.
 */
public final class ErrnoException extends IOException {
    private final String call;
    private final int errno;

    public ErrnoException(String call, int errno) {
        this(call, errno, null);
    }

    public ErrnoException(String call, int errno, String detail) {
        super(call + ": " + Errno.name(errno) + " (" + Libc.strerror(errno) + ")"
                + (detail == null || detail.isEmpty() ? "" : ": " + detail));
        this.call = call;
        this.errno = errno;
    }

    /** The positive errno value, e.g. {@link Errno#ENODEV}. */
    public int errno() {
        return errno;
    }

    /** The failed call or request, as given when thrown. */
    public String call() {
        return call;
    }
}
