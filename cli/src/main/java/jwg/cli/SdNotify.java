package jwg.cli;

import static jwg.sys.LibcConstants.AF_UNIX;
import static jwg.sys.LibcConstants.SOCK_CLOEXEC;
import static jwg.sys.LibcConstants.SOCK_DGRAM;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import jwg.datapath.Log;
import jwg.sys.Libc;

/**
 * systemd's readiness protocol (sd_notify(3)), for a unit of Type=notify: a datagram such as
 * "READY=1" to the AF_UNIX socket $NOTIFY_SOCKET names (a path, or "@name" in the abstract
 * namespace). Without the variable nothing is sent; a failure is logged and never fatal.
 */
final class SdNotify {
    private SdNotify() {}

    /** sizeof(struct sockaddr_un): sun_family, then sun_path[108]. */
    private static final int SOCKADDR_UN_SIZE = 110;
    private static final int SUN_PATH_OFFSET = 2;

    /** The interface is up: READY=1, with a STATUS line for `systemctl status`. */
    static void ready(String status) {
        send("READY=1\nSTATUS=" + status);
    }

    /** Teardown begins. */
    static void stopping() {
        send("STOPPING=1");
    }

    /** Sends state to $NOTIFY_SOCKET; false if there is none or it failed. */
    static boolean send(String state) {
        return send(System.getenv("NOTIFY_SOCKET"), state);
    }

    static boolean send(String socket, String state) {
        if (socket == null || socket.isEmpty()) return false;
        byte[] name = socket.getBytes(StandardCharsets.UTF_8);
        boolean abstractName = name[0] == '@';
        if (!abstractName && name[0] != '/' || name.length >= SOCKADDR_UN_SIZE - SUN_PATH_OFFSET) {
            Log.info("NOTIFY_SOCKET " + socket + " is neither a path nor @name: not notified");
            return false;
        }
        if (abstractName) name[0] = 0; // the abstract namespace: a leading NUL, and no terminating one
        int fd = Libc.socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        if (fd < 0) {
            Log.info("cannot notify systemd: socket(AF_UNIX): " + Libc.strerror(-fd));
            return false;
        }
        try (Arena arena = Arena.ofConfined()) {
            // A path's address includes its terminating NUL (the allocation is zeroed); an abstract one is exactly its bytes.
            MemorySegment address = arena.allocate(SUN_PATH_OFFSET + name.length + (abstractName ? 0 : 1));
            address.set(ValueLayout.JAVA_SHORT, 0, (short) AF_UNIX);
            MemorySegment.copy(name, 0, address, ValueLayout.JAVA_BYTE, SUN_PATH_OFFSET, name.length);
            byte[] bytes = state.getBytes(StandardCharsets.UTF_8);
            MemorySegment message = arena.allocateFrom(ValueLayout.JAVA_BYTE, bytes);
            int sent = Libc.sendto(fd, message, 0, bytes.length, 0, address);
            if (sent < 0) {
                Log.info("cannot notify systemd at " + socket + ": " + Libc.strerror(-sent));
                return false;
            }
            return true;
        } finally {
            Libc.close(fd);
        }
    }
}
