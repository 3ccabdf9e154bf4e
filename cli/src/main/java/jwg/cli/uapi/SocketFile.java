package jwg.cli.uapi;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import jwg.cli.posix.Posix;

/**
 * The socket file of one interface, DIRECTORY/NAME.sock, created as wireguard-go's UAPIOpen
 * (ipc/uapi_unix.go) creates it: the directory 0755 if missing; the socket under umask 077, so
 * that no one else can connect at any moment (wireguard-go's is thus 0700; ours is then set to
 * 0600, the execute bit meaning nothing on a socket); a file left by a process that is gone
 * (nothing accepts on it) is replaced; a socket that some live process serves is refused.
 */
final class SocketFile {
    private SocketFile() {}

    /**
     * A bound socket and the identity of its file, taken at once (a later deletion is seen by
     * comparing it); null if the file was deleted as soon as it was made.
     */
    record Bound(ServerSocketChannel channel, Object identity) {}

    static Bound bind(Path path) throws IOException {
        Path directory = path.getParent();
        if (!Files.isDirectory(directory)) {
            Files.createDirectories(directory);
            Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        UnixDomainSocketAddress address = UnixDomainSocketAddress.of(path);
        if (Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            if (served(address)) throw new IOException(path + " is in use: another process serves this interface");
            Files.deleteIfExists(path); // left by a process that is gone
        }
        // The socket appears under its name only once it listens: bound (Java's bind listens too)
        // under a hidden temporary name, then linked into place. A client that found the file
        // between bind() and listen() would be refused, and `wg` then unlinks the socket.
        Path temporary = directory.resolve("." + path.getFileName() + "." + Long.toHexString(System.nanoTime()) + ".tmp");
        ServerSocketChannel channel = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        int umask = Posix.umask(0077);
        try {
            channel.bind(UnixDomainSocketAddress.of(temporary));
            Files.setPosixFilePermissions(temporary, PosixFilePermissions.fromString("rw-------"));
            try {
                Files.createLink(path, temporary); // link(2): fails if the name was taken meanwhile
            } catch (java.nio.file.FileAlreadyExistsException taken) {
                throw new IOException(path + " is in use: another process serves this interface");
            }
            try {
                return new Bound(channel, Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey());
            } catch (NoSuchFileException deletedAlready) {
                return new Bound(channel, null);
            }
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        } finally {
            Files.deleteIfExists(temporary);
            Posix.umask(umask);
        }
    }

    /** Does a process accept connections on address? (wireguard-go's test: net.Dial.) */
    private static boolean served(UnixDomainSocketAddress address) {
        try {
            SocketChannel.open(address).close();
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** The identity (device and inode) of the file at path, or null if there is none. */
    static Object identity(Path path) {
        try {
            return Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
        } catch (IOException e) {
            return null;
        }
    }
}
