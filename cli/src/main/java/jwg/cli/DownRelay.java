package jwg.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.BooleanSupplier;
import jwg.cli.posix.Posix;
import jwg.sys.Errno;
import jwg.sys.ErrnoException;
import jwg.sys.Libc;
import jwg.sys.LibcConstants;

/**
 * What the background daemon prints while it stops reaches `jwg down`'s standard error, as
 * wg-quick down's "[#]" lines reach its caller: `jwg down` makes a named pipe, /run/jwg/IF.down,
 * and opens it for reading before it sends SIGTERM; the daemon, stopping, opens it for writing
 * and makes it its standard output and error (they are /dev/null since it detached). A pipe that
 * nobody reads (left by a `jwg down` that was killed) cannot be opened for writing without a
 * reader (ENXIO), so the daemon then stays silent. Root's directory, the pipe 0600.
 */
final class DownRelay implements AutoCloseable {
    static final Path DIRECTORY = Path.of("/run/jwg");
    private static final int BUFFER = 4096;
    private static final long POLL_MILLIS = 20;

    private final Path path;
    private final int fd;

    private DownRelay(Path path, int fd) {
        this.path = path;
        this.fd = fd;
    }

    static Path path(String name) {
        return DIRECTORY.resolve(name + ".down");
    }

    /** For `jwg down`: the pipe of interface name, new, open for reading. */
    static DownRelay open(String name) throws UserError {
        Path p = path(name);
        try {
            Files.createDirectories(DIRECTORY);
            Files.deleteIfExists(p);
            Posix.mkfifo(p, 0600);
        } catch (IOException e) {
            throw new UserError("cannot make " + p + ": " + e.getMessage());
        }
        int fd = Libc.open(p.toString(), LibcConstants.O_RDONLY | LibcConstants.O_NONBLOCK | LibcConstants.O_CLOEXEC);
        if (fd < 0) {
            delete(p);
            throw new UserError("cannot open " + p + ": " + new ErrnoException("open", -fd).getMessage());
        }
        return new DownRelay(p, fd);
    }

    /** Copies what comes through the pipe to out until done holds, then what is left. */
    void copyTo(OutputStream out, BooleanSupplier done) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buffer = arena.allocate(BUFFER);
            boolean last = false;
            for (;;) {
                int n = Libc.read(fd, buffer, 0, BUFFER);
                if (n > 0) {
                    out.write(buffer.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE));
                    out.flush();
                    continue;
                }
                if (n < 0 && n != -Errno.EAGAIN && n != -Errno.EINTR) throw new ErrnoException("read(" + path + ")", -n);
                if (last) return;
                if (done.getAsBoolean()) {
                    last = true; // one more read: what came just before the end
                    continue;
                }
                try {
                    Thread.sleep(POLL_MILLIS); // nothing yet (0: no writer so far, or between writers)
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    @Override
    public void close() {
        Libc.close(fd);
        delete(path);
    }

    private static void delete(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // /run is emptied at boot; a pipe left here is replaced by the next jwg down
        }
    }

    /** For the stopping daemon: when a `jwg down` reads the pipe of name, standard output and error go there. */
    static void attach(String name) {
        int fd = Libc.open(path(name).toString(), LibcConstants.O_WRONLY | LibcConstants.O_NONBLOCK | LibcConstants.O_CLOEXEC);
        if (fd < 0) return; // no pipe, or nobody reading it
        try {
            int flags = Libc.fcntl(fd, LibcConstants.F_GETFL, 0);
            if (flags >= 0) Libc.fcntl(fd, LibcConstants.F_SETFL, flags & ~LibcConstants.O_NONBLOCK); // a full pipe waits for its reader
            System.out.flush();
            System.err.flush();
            Posix.dup2(fd, 1);
            Posix.dup2(fd, 2);
        } catch (ErrnoException e) {
            // keep /dev/null
        } finally {
            Libc.close(fd);
        }
    }
}
