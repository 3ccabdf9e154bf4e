package jwg.sys;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The C library calls jwg needs, as FFM downcalls. Conventions, as in Netty's native transport:
 * every method returns the call's result when it succeeds and {@code -errno} when it fails (it
 * never throws for a failed call; use {@link Errno#check}). errno is captured per thread right
 * after the call ({@code Linker.Option.captureCallState}), so it cannot be clobbered by the JVM.
 * <p>
 * Buffers are {@link MemorySegment}s and must be native (off-heap): the region
 * {@code [off, off + len)} is bounds-checked and the segment's arena is kept alive for the
 * duration of the call. {@link #read} and {@link #write} allocate nothing once compiled.
 */
@SuppressWarnings("restricted") // native access is this class's purpose; enabled with --enable-native-access
public final class Libc {
    private Libc() {}

    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CALL_STATE_LAYOUT = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO =
            CALL_STATE_LAYOUT.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final Linker.Option CAPTURE_ERRNO = Linker.Option.captureCallState("errno");
    /** One capture buffer per thread, reused by every call on that thread. */
    private static final ThreadLocal<MemorySegment> CALL_STATE =
            ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(CALL_STATE_LAYOUT));

    private static final MethodHandle OPEN = downcall("open",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT), CAPTURE_ERRNO, Linker.Option.firstVariadicArg(2));
    private static final MethodHandle CLOSE = downcall("close",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT), CAPTURE_ERRNO);
    private static final MethodHandle READ = downcall("read",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG), CAPTURE_ERRNO);
    private static final MethodHandle WRITE = downcall("write",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG), CAPTURE_ERRNO);
    private static final MethodHandle IOCTL = downcall("ioctl",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, ADDRESS), CAPTURE_ERRNO, Linker.Option.firstVariadicArg(2));
    private static final MethodHandle FCNTL = downcall("fcntl",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG), CAPTURE_ERRNO, Linker.Option.firstVariadicArg(2));
    private static final MethodHandle SOCKET = downcall("socket",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT), CAPTURE_ERRNO);
    private static final MethodHandle BIND = downcall("bind",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT), CAPTURE_ERRNO);
    private static final MethodHandle SETSOCKOPT = downcall("setsockopt",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT), CAPTURE_ERRNO);
    private static final MethodHandle SENDTO = downcall("sendto",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT), CAPTURE_ERRNO);
    private static final MethodHandle RECVFROM = downcall("recvfrom",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT, ADDRESS, ADDRESS), CAPTURE_ERRNO);
    private static final MethodHandle RECVMSG = downcall("recvmsg",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT), CAPTURE_ERRNO);
    private static final MethodHandle SENDMMSG = downcall("sendmmsg",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT), CAPTURE_ERRNO);
    private static final MethodHandle POLL = downcall("poll",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT), CAPTURE_ERRNO);
    private static final MethodHandle DUP3 = downcall("dup3",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT), CAPTURE_ERRNO);
    private static final MethodHandle SETNS = downcall("setns",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT), CAPTURE_ERRNO);
    private static final MethodHandle STRERROR = downcall("strerror",
            FunctionDescriptor.of(ADDRESS.withTargetLayout(MemoryLayout.sequenceLayout(256, ValueLayout.JAVA_BYTE)), JAVA_INT));

    private static MethodHandle downcall(String name, FunctionDescriptor descriptor, Linker.Option... options) {
        MemorySegment symbol = LINKER.defaultLookup().find(name)
                .orElseThrow(() -> new UnsatisfiedLinkError("libc has no " + name));
        return LINKER.downcallHandle(symbol, descriptor, options);
    }

    private static int errno(MemorySegment state) {
        return (int) ERRNO.get(state, 0L);
    }

    private static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException e) {
            return e;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new IllegalStateException(t);
    }

    /** open(2), with mode 0. Returns the fd. */
    public static int open(String path, int flags) {
        MemorySegment state = CALL_STATE.get();
        try (Arena arena = Arena.ofConfined()) {
            int r = (int) OPEN.invokeExact(state, arena.allocateFrom(path), flags, 0);
            return r >= 0 ? r : -errno(state);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** close(2). */
    public static int close(int fd) {
        MemorySegment state = CALL_STATE.get();
        try {
            int r = (int) CLOSE.invokeExact(state, fd);
            return r >= 0 ? r : -errno(state);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** read(2) into {@code buf[off, off + len)}. Returns the byte count. */
    public static int read(int fd, MemorySegment buf, long off, int len) {
        MemorySegment state = CALL_STATE.get();
        try {
            long r = (long) READ.invokeExact(state, fd, buf.asSlice(off, len), (long) len);
            return r >= 0 ? (int) r : -errno(state);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** write(2) from {@code buf[off, off + len)}. Returns the byte count. */
    public static int write(int fd, MemorySegment buf, long off, int len) {
        MemorySegment state = CALL_STATE.get();
        try {
            long r = (long) WRITE.invokeExact(state, fd, buf.asSlice(off, len), (long) len);
            return r >= 0 ? (int) r : -errno(state);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** ioctl(2) with a pointer argument (e.g. a {@code struct ifreq}). */
    public static int ioctl(int fd, long request, MemorySegment arg) {
        MemorySegment state = CALL_STATE.get();
        try {
            int r = (int) IOCTL.invokeExact(state, fd, request, arg);
            return r >= 0 ? r : -errno(state);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** fcntl(2) with an integer argument (ignored by the F_GET* commands). */
    public static int fcntl(int fd, int cmd, long arg) {
        MemorySegment state = CALL_STATE.get();
        try {
            int r = (int) FCNTL.invokeExact(state, fd, cmd, arg);
            return r >= 0 ? r : -errno(state);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** socket(2). Returns the fd. */
    public static int socket(int domain, int type, int protocol) {
        MemorySegment state = CALL_STATE.get();
        try {
            int r = (int) SOCKET.invokeExact(state, domain, type, protocol);
            return r >= 0 ? r : -errno(state);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** bind(2) to the socket address in {@code addr} (its whole size is passed as the length). */
    public static int bind(int fd, MemorySegment addr) {
        MemorySegment state = CALL_STATE.get();
        try {
            int r = (int) BIND.invokeExact(state, fd, addr, (int) addr.byteSize());
            return r >= 0 ? r : -errno(state);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** setsockopt(2) with the option value in {@code value} (its whole size is the length). */
    public static int setsockopt(int fd, int level, int name, MemorySegment value) {
        MemorySegment state = CALL_STATE.get();
        try {
            int r = (int) SETSOCKOPT.invokeExact(state, fd, level, name, value, (int) value.byteSize());
            return r >= 0 ? r : -errno(state);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** setsockopt(2) with an {@code int} option value. */
    public static int setsockoptInt(int fd, int level, int name, int value) {
        try (Arena arena = Arena.ofConfined()) {
            return setsockopt(fd, level, name, arena.allocateFrom(JAVA_INT, value));
        }
    }

    /**
     * sendto(2) of {@code buf[off, off + len)} to {@code addr} (its whole size is the length), or
     * to the connected/default peer when {@code addr} is {@link MemorySegment#NULL}.
     */
    public static int sendto(int fd, MemorySegment buf, long off, int len, int flags, MemorySegment addr) {
        MemorySegment state = CALL_STATE.get();
        try {
            long r = (long) SENDTO.invokeExact(state, fd, buf.asSlice(off, len), (long) len, flags, addr,
                    (int) addr.byteSize());
            return r >= 0 ? (int) r : -errno(state);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** recvfrom(2) into {@code buf[off, off + len)} without the source address. */
    public static int recv(int fd, MemorySegment buf, long off, int len, int flags) {
        MemorySegment state = CALL_STATE.get();
        try {
            long r = (long) RECVFROM.invokeExact(state, fd, buf.asSlice(off, len), (long) len, flags,
                    MemorySegment.NULL, MemorySegment.NULL);
            return r >= 0 ? (int) r : -errno(state);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * recvmsg(2) with msghdr, a native struct msghdr whose name, iovec and control buffers are
     * native too (the caller lays them out). Returns the byte count. Allocates nothing once compiled.
     */
    public static int recvmsg(int fd, MemorySegment msghdr, int flags) {
        MemorySegment state = CALL_STATE.get();
        try {
            long r = (long) RECVMSG.invokeExact(state, fd, msghdr, flags);
            return r >= 0 ? (int) r : -errno(state);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * sendmmsg(2) of the {@code vlen} native {@code struct mmsghdr}s at {@code msgvec} (their
     * names, iovecs and control data native too; the caller lays them out). Returns how many were
     * sent: fewer than vlen when a later one failed (its error is then lost: send it again to see
     * it). Allocates nothing once compiled.
     */
    public static int sendmmsg(int fd, MemorySegment msgvec, int vlen, int flags) {
        MemorySegment state = CALL_STATE.get();
        try {
            int r = (int) SENDMMSG.invokeExact(state, fd, msgvec, vlen, flags);
            return r >= 0 ? r : -errno(state);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** fcntl(fd, F_DUPFD_CLOEXEC, 0): a new descriptor for the same open file, close-on-exec. */
    public static int dup(int fd) {
        return fcntl(fd, LibcConstants.F_DUPFD_CLOEXEC, 0);
    }

    /** dup3(2): makes newFd refer to oldFd's open file (closing what newFd was); flags 0 or O_CLOEXEC. */
    public static int dup3(int oldFd, int newFd, int flags) {
        MemorySegment state = CALL_STATE.get();
        try {
            int r = (int) DUP3.invokeExact(state, oldFd, newFd, flags);
            return r >= 0 ? r : -errno(state);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * poll(2) on one fd: returns the revents (0 on timeout). For tests and simple waits; the
     * datapath uses epoll.
     */
    public static int poll(int fd, int events, int timeoutMillis) {
        MemorySegment state = CALL_STATE.get();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment pollfd = arena.allocate(8, 4); // struct pollfd { int fd; short events, revents; }
            pollfd.set(JAVA_INT, 0, fd);
            pollfd.set(ValueLayout.JAVA_SHORT, 4, (short) events);
            int r = (int) POLL.invokeExact(state, pollfd, 1L, timeoutMillis);
            return r < 0 ? -errno(state) : r == 0 ? 0 : pollfd.get(ValueLayout.JAVA_SHORT, 6) & 0xffff;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** setns(2): moves the calling thread into the namespace {@code fd} refers to. */
    public static int setns(int fd, int nstype) {
        MemorySegment state = CALL_STATE.get();
        try {
            int r = (int) SETNS.invokeExact(state, fd, nstype);
            return r >= 0 ? r : -errno(state);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** strerror(3): the C library's description of {@code errno}. */
    public static String strerror(int errno) {
        try {
            return ((MemorySegment) STRERROR.invokeExact(errno)).getString(0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }
}
