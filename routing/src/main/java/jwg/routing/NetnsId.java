package jwg.routing;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;

import jwg.sys.Libc;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static jwg.sys.LibcConstants.AF_INET;
import static jwg.sys.LibcConstants.SOCK_CLOEXEC;
import static jwg.sys.LibcConstants.SOCK_DGRAM;
import static jwg.sys.LibcConstants.SOL_SOCKET;

/**
 * Names the network namespace of the calling thread, for state kept per namespace in a directory
 * all namespaces share. The netns cookie (SO_NETNS_COOKIE, Linux 5.14) is never reused while the
 * system runs; before 5.14, the namespace's inode, which can be reused once it is gone.
 */
@SuppressWarnings("restricted") // one getsockopt downcall; native access is enabled for jwg
final class NetnsId {
    private static final int SO_NETNS_COOKIE = 71;
    private static final MethodHandle GETSOCKOPT = Linker.nativeLinker().downcallHandle(
            Linker.nativeLinker().defaultLookup().find("getsockopt").orElseThrow(),
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));

    private NetnsId() {}

    static String current() throws WgQuickException {
        int fd = Libc.socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        if (fd >= 0) {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment cookie = arena.allocate(JAVA_LONG);
                MemorySegment length = arena.allocate(JAVA_INT);
                length.set(JAVA_INT, 0, 8);
                if ((int) GETSOCKOPT.invokeExact(fd, SOL_SOCKET, SO_NETNS_COOKIE, cookie, length) == 0) {
                    return "netns-cookie-" + Long.toUnsignedString(cookie.get(JAVA_LONG, 0));
                }
            } catch (Throwable e) {
                throw new IllegalStateException("getsockopt(SO_NETNS_COOKIE)", e);
            } finally {
                Libc.close(fd);
            }
        }
        try {
            return "netns-inode-" + Files.getAttribute(Path.of("/proc/thread-self/ns/net"), "unix:ino");
        } catch (IOException e) {
            throw new WgQuickException("cannot identify the network namespace: " + e.getMessage());
        }
    }
}
