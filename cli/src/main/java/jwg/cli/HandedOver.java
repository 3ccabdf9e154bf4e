package jwg.cli;

import java.io.IOException;
import java.nio.channels.Channel;
import java.nio.channels.ServerSocketChannel;
import jwg.sys.Errno;
import jwg.sys.ErrnoException;
import jwg.sys.Libc;
import jwg.tun.TunDevice;

/**
 * What whoever started us may hand over, as wireguard-go's main.go reads it: WG_TUN_FD, the number
 * of an open TUN queue (a container runtime may open the interface in its namespace and pass it
 * on), and WG_UAPI_FD, the number of a listening UAPI socket. Java cannot pass descriptors to a
 * process it starts, so these work in the foreground only (-f or WG_PROCESS_FOREGROUND=1).
 */
final class HandedOver {
    private HandedOver() {}

    static final String TUN_FD = "WG_TUN_FD";
    static final String UAPI_FD = "WG_UAPI_FD";

    /** Whether either is set. */
    static boolean any() {
        return System.getenv(TUN_FD) != null || System.getenv(UAPI_FD) != null;
    }

    /** The TUN of WG_TUN_FD, or null if it is not set. */
    static TunDevice tun() throws UserError {
        String value = System.getenv(TUN_FD);
        if (value == null) return null;
        int fd = number(TUN_FD, value);
        try {
            return TunDevice.adopt(fd);
        } catch (ErrnoException e) {
            throw new UserError(TUN_FD + "=" + value + ": cannot use it as a TUN device: " + e.getMessage());
        }
    }

    /**
     * The listening socket of WG_UAPI_FD, or null if it is not set. The JDK takes a listening
     * socket from its standard input only (System.inheritedChannel), so the descriptor is moved
     * there first; the daemon reads nothing from its standard input.
     */
    static ServerSocketChannel uapi() throws UserError {
        String value = System.getenv(UAPI_FD);
        if (value == null) return null;
        int fd = number(UAPI_FD, value);
        if (fd != 0) {
            int r = Libc.dup3(fd, 0, 0);
            if (r < 0) throw new UserError(UAPI_FD + "=" + value + ": " + new ErrnoException("dup3", -r).getMessage());
            Libc.close(fd);
        }
        Channel channel;
        try {
            channel = System.inheritedChannel();
        } catch (IOException e) {
            throw new UserError(UAPI_FD + "=" + value + ": " + e.getMessage());
        }
        if (!(channel instanceof ServerSocketChannel listening)) {
            throw new UserError(UAPI_FD + "=" + value + ": not a listening UNIX socket");
        }
        return listening;
    }

    private static int number(String variable, String value) throws UserError {
        try {
            int fd = Integer.parseInt(value);
            if (fd >= 0) {
                if (Libc.fcntl(fd, jwg.sys.LibcConstants.F_GETFD, 0) >= 0) return fd;
                throw new UserError(variable + "=" + value + ": no such open file descriptor (" + Errno.name(Errno.EBADF) + ")");
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw new UserError(variable + "=" + value + ": not a file descriptor number");
    }
}
