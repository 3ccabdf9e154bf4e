package jwg.cli.posix;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import jwg.sys.ErrnoException;

import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * The process-level C library calls the command line needs and Java does not offer: umask(2) (the
 * UAPI socket is created 0600, as wireguard-go does), and dup2(2) and setsid(2) for detaching the
 * background process.
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
}
