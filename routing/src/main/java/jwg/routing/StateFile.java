package jwg.routing;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * What a running session has set up beyond its interface, written down before each such step,
 * so that the next up of the same interface in the same network namespace can remove what a
 * crashed run left (routes and addresses go with the interface; rules, the firewall and the DNS
 * entry do not). One file per namespace and interface: STATE/NETNS-ID/IF, one entry a line.
 */
final class StateFile {
    /** The fwmark table of a default route: its rules are to be removed. */
    static final String TABLE = "table ";
    /** A resolvconf entry. */
    static final String DNS = "dns ";

    private final Path file;

    private StateFile(Path file) {
        this.file = file;
    }

    static StateFile of(Host host, String interfaceName) throws WgQuickException {
        return new StateFile(host.stateDirectory().resolve(NetnsId.current()).resolve(interfaceName));
    }

    Path path() {
        return file;
    }

    boolean exists() {
        return Files.exists(file);
    }

    List<String> entries() throws WgQuickException {
        try {
            return Files.readAllLines(file);
        } catch (IOException e) {
            throw new WgQuickException("cannot read " + file + ": " + e.getMessage());
        }
    }

    /** Starts an empty record: the session has begun. */
    void begin() throws WgQuickException {
        try {
            Files.createDirectories(file.getParent());
            Files.write(file, new byte[0]);
        } catch (IOException e) {
            throw new WgQuickException("cannot write " + file + ": " + e.getMessage());
        }
    }

    /** Appends an entry and waits until it is on disk, before the step it announces. */
    void record(String entry) throws WgQuickException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            channel.write(StandardCharsets.UTF_8.encode(entry + "\n"));
            channel.force(false);
        } catch (IOException e) {
            throw new WgQuickException("cannot write " + file + ": " + e.getMessage());
        }
    }

    /** Removes the record (and the namespace's directory when it is empty). */
    void delete() throws WgQuickException {
        try {
            Files.deleteIfExists(file);
            Files.deleteIfExists(file.getParent());
        } catch (DirectoryNotEmptyException e) {
            // other interfaces of this namespace are up
        } catch (IOException e) {
            throw new WgQuickException("cannot remove " + file + ": " + e.getMessage());
        }
    }
}
