package jwg.cli.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * A launcher script for jwg as this test JVM can run it without the shaded jar: the JDK running
 * the tests, --enable-native-access, and the test class path (surefire's booter jar, whose
 * manifest lists target/classes and every dependency). What wg-quick's
 * WG_QUICK_USERSPACE_IMPLEMENTATION points at: an executable that takes jwg's arguments.
 */
public final class Launcher {
    private Launcher() {}

    public static Path write(Path dir) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path script = dir.resolve("jwg");
        Files.writeString(script, """
                #!/bin/sh
                exec '%s' --enable-native-access=ALL-UNNAMED -cp '%s' jwg.cli.Main "$@"
                """.formatted(java, System.getProperty("java.class.path")));
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        return script;
    }
}
