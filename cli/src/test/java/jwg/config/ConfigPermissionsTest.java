package jwg.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ConfigPermissionsTest {
    @TempDir
    Path dir;

    private Path file(String permissions) throws Exception {
        Path file = Files.writeString(dir.resolve("wg0.conf"), "[Interface]\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(permissions));
        return file;
    }

    @ParameterizedTest
    @ValueSource(strings = {"rw-------", "r--------", "rwx------"})
    void privateFileHasNoWarning(String permissions) throws Exception {
        assertEquals(List.of(), ConfigPermissions.check(file(permissions)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"rw-r--r--", "rw-----w-", "rw-rw-rw-", "rw------x"})
    void othersGetWgQuicksWarning(String permissions) throws Exception {
        Path file = file(permissions);
        assertEquals(List.of("Warning: `" + file.toRealPath() + "' is world accessible"), ConfigPermissions.check(file));
    }

    @ParameterizedTest
    @ValueSource(strings = {"rw-r-----", "rw--w----"})
    void groupGetsAWarningToo(String permissions) throws Exception {
        Path file = file(permissions);
        assertEquals(List.of("Warning: `" + file.toRealPath() + "' is accessible by its group"), ConfigPermissions.check(file));
    }

    @Test
    void aSymlinkIsJudgedByItsTarget() throws Exception {
        Path target = file("rw-r--r--");
        Path link = Files.createSymbolicLink(dir.resolve("wg1.conf"), target);
        assertEquals(List.of("Warning: `" + target.toRealPath() + "' is world accessible"), ConfigPermissions.check(link));
    }

    @Test
    void aMissingFileIsAWarningNotACrash() {
        assertEquals(1, ConfigPermissions.check(dir.resolve("none.conf")).size());
    }
}
