package jwg.cli.posix;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import jwg.sys.ErrnoException;
import jwg.sys.Libc;
import jwg.sys.LibcConstants;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * The process-level C library calls the command line needs and Java does not offer: umask(2) (the
 * UAPI socket is created 0600, as wireguard-go does), dup2(2) and setsid(2) for detaching the
 * background process, SO_PEERCRED for finding the process that serves a UAPI socket, and
 * mkfifo(3) for the pipe through which `jwg down` shows what that process prints while it stops.
 */
@SuppressWarnings("restricted") // native access is this class's purpose; enabled with --enable-native-access
public final class Posix {
    private Posix() {}

    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final Linker.Option CAPTURE_ERRNO = Linker.Option.captureCallState("errno");

    private static final MethodHandle UMASK = downcall("umask", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final MethodHandle DUP2 = downcall("dup2", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT), CAPTURE_ERRNO);
    private static final MethodHandle SETSID = downcall("setsid", FunctionDescriptor.of(JAVA_INT), CAPTURE_ERRNO);
    private static final MethodHandle CONNECT = downcall("connect", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT),
            CAPTURE_ERRNO);
    private static final MethodHandle GETSOCKOPT = downcall("getsockopt",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, ADDRESS), CAPTURE_ERRNO);
    private static final MethodHandle MKFIFO = downcall("mkfifo", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT), CAPTURE_ERRNO);

    /** struct sockaddr_un: sun_family, then sun_path[108]. */
    private static final int SUN_PATH_OFFSET = 2;
    private static final int SUN_PATH_LENGTH = 108;
    private static final int SOCK_STREAM = 1;
    /** getsockopt(SOL_SOCKET, SO_PEERCRED): struct ucred { pid_t pid; uid_t uid; gid_t gid; }. */
    private static final int SO_PEERCRED = 17;
    private static final int UCRED_BYTES = 12;

    private static MethodHandle downcall(String name, FunctionDescriptor descriptor, Linker.Option... options) {
        MemorySegment symbol = LINKER.defaultLookup().find(name).orElseThrow(() -> new UnsatisfiedLinkError("libc has no " + name));
        return LINKER.downcallHandle(symbol, descriptor, options);
    }

    /** umask(2): sets the file mode creation mask of the process; returns the previous one. */
    public static int umask(int mask) {
        try {
            return (int) UMASK.invokeExact(mask);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** dup2(2): makes newFd a copy of oldFd (closing what newFd was). */
    public static void dup2(int oldFd, int newFd) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(STATE);
            int r = (int) DUP2.invokeExact(state, oldFd, newFd);
            if (r < 0) throw new ErrnoException("dup2", (int) ERRNO.get(state, 0L));
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** setsid(2): a new session without a controlling terminal, so that the terminal's signals no longer reach us. */
    public static void setsid() throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(STATE);
            int r = (int) SETSID.invokeExact(state);
            if (r < 0) throw new ErrnoException("setsid", (int) ERRNO.get(state, 0L));
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /**
     * The pid of the process that listens on the UNIX stream socket at path: SO_PEERCRED of a
     * connection to it gives the credentials the listener had when it called listen(2). The
     * connection is closed at once (a UAPI server sees a client that sends nothing).
     */
    public static int peerPid(Path socket) throws ErrnoException { // a UAPI socket's path is far shorter than sun_path
        byte[] path = socket.toString().getBytes(StandardCharsets.UTF_8);
        int fd = Libc.socket(LibcConstants.AF_UNIX, SOCK_STREAM | LibcConstants.SOCK_CLOEXEC, 0);
        if (fd < 0) throw new ErrnoException("socket", -fd);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(STATE);
            MemorySegment address = arena.allocate(SUN_PATH_OFFSET + SUN_PATH_LENGTH);
            address.set(JAVA_SHORT, 0, (short) LibcConstants.AF_UNIX);
            MemorySegment.copy(path, 0, address, java.lang.foreign.ValueLayout.JAVA_BYTE, SUN_PATH_OFFSET, path.length);
            if ((int) CONNECT.invokeExact(state, fd, address, (int) address.byteSize()) < 0) {
                throw new ErrnoException("connect(" + socket + ")", (int) ERRNO.get(state, 0L));
            }
            MemorySegment ucred = arena.allocate(UCRED_BYTES);
            MemorySegment length = arena.allocateFrom(JAVA_INT, UCRED_BYTES);
            if ((int) GETSOCKOPT.invokeExact(state, fd, LibcConstants.SOL_SOCKET, SO_PEERCRED, ucred, length) < 0) {
                throw new ErrnoException("getsockopt(SO_PEERCRED)", (int) ERRNO.get(state, 0L));
            }
            return ucred.get(JAVA_INT, 0);
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        } finally {
            Libc.close(fd);
        }
    }

    /** mkfifo(3): a named pipe at path with the given mode (less the umask). */
    public static void mkfifo(Path path, int mode) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(STATE);
            if ((int) MKFIFO.invokeExact(state, arena.allocateFrom(path.toString()), mode) < 0) {
                throw new ErrnoException("mkfifo(" + path + ")", (int) ERRNO.get(state, 0L));
            }
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }
}
