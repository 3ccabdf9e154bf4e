package jwg.routing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;

/**
 * A resolvconf that keeps its entries in a directory instead of changing the host's resolver,
 * and records how it was called: {@code -a NAME} (entry on stdin), {@code -d NAME}, {@code -l NAME}.
 */
final class FakeResolvconf {
    final Path bin;
    private final Path entries;
    private final Path calls;

    FakeResolvconf(Path directory) throws IOException {
        bin = Files.createDirectories(directory.resolve("bin"));
        entries = Files.createDirectories(directory.resolve("entries"));
        calls = directory.resolve("calls");
        Files.writeString(calls, "");
        Path script = bin.resolve("resolvconf");
        Files.writeString(script, """
                #!/bin/bash
                echo "resolvconf $*" >> %1$s
                case "$1" in
                -a) cat > %2$s/"$2"; sed 's/^/  /' %2$s/"$2" >> %1$s ;;
                -d) rm -f %2$s/"$2" ;;
                -l) cat %2$s/"$2" ;;
                esac
                """.formatted(calls, entries));
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    /** The calls and the entries given, with the interface name as IF. */
    String calls(String ifName) throws IOException {
        return Files.readString(calls).replace(ifName, "IF");
    }

    List<String> entries() throws IOException {
        try (Stream<Path> files = Files.list(entries)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
