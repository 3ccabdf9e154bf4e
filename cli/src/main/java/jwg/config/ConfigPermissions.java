package jwg.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Set;

/**
 * The configuration holds the private key, so it should be readable by its owner only. wg-quick
 * warns when the file and its directory are both accessible by others; jwg warns about the file
 * alone, for others and also for its group.
 */
public final class ConfigPermissions {
    private ConfigPermissions() {}

    /** Warnings (not errors) about who else can read or write the file; empty when it is private. */
    public static List<String> check(Path file) {
        Path real;
        Set<PosixFilePermission> p;
        try {
            real = file.toRealPath();
            p = Files.getPosixFilePermissions(real);
        } catch (IOException | UnsupportedOperationException e) {
            return List.of("Warning: cannot check who may read `" + file + "': " + e.getMessage());
        }
        if (p.contains(PosixFilePermission.OTHERS_READ) || p.contains(PosixFilePermission.OTHERS_WRITE)
                || p.contains(PosixFilePermission.OTHERS_EXECUTE)) {
            return List.of("Warning: `" + real + "' is world accessible");
        }
        if (p.contains(PosixFilePermission.GROUP_READ) || p.contains(PosixFilePermission.GROUP_WRITE)
                || p.contains(PosixFilePermission.GROUP_EXECUTE)) {
            return List.of("Warning: `" + real + "' is accessible by its group");
        }
        return List.of();
    }
}
