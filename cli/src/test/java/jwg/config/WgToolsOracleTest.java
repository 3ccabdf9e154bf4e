package jwg.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Checks the fixtures against the real tools when they are installed (and we are root, which
 * `wg-quick strip` insists on): `wg-quick strip` does wg-quick's part, then `wg setconf` on an
 * interface that does not exist parses the rest and only then fails to apply it. So "Unable to
 * modify interface" means wg accepted the file, "Configuration parsing error" that it refused it.
 */
class WgToolsOracleTest {
    private static final String NO_SUCH_INTERFACE = "jwgnosuch0";

    @TempDir
    static Path dir;

    record Result(int exitCode, String output) {}

    @BeforeAll
    static void toolsPresent() throws Exception {
        Assumptions.assumeTrue(onPath("wg") && onPath("wg-quick"), "wg and wg-quick are not installed");
        Assumptions.assumeTrue(run(List.of("id", "-u")).output().strip().equals("0"), "wg-quick strip needs root");
        Assumptions.assumeFalse(run(List.of("ip", "link", "show", NO_SUCH_INTERFACE)).exitCode() == 0, "interface exists");
    }

    @TestFactory
    Stream<DynamicTest> wgQuickAndWgAcceptEveryGoodFixture() {
        return Fixtures.list("good").stream().map(name -> DynamicTest.dynamicTest(name, () -> {
            Result strip = strip("good/" + name);
            assertEquals(0, strip.exitCode(), strip.output());
            String setconf = setconf(strip).output();
            assertTrue(setconf.contains("Unable to modify interface"), setconf);
        }));
    }

    @TestFactory
    Stream<DynamicTest> badFixturesAreRefusedWhereWeSay() {
        return BadFixtures.EXPECTED.entrySet().stream()
                .filter(e -> e.getValue().refusedBy() != BadFixtures.RefusedBy.UP)
                .map(e -> DynamicTest.dynamicTest(e.getKey(), () -> {
                    Result strip = strip("bad/" + e.getKey());
                    if (e.getValue().refusedBy() == BadFixtures.RefusedBy.WG_QUICK) {
                        assertTrue(strip.exitCode() != 0, "wg-quick accepted it: " + strip.output());
                        return;
                    }
                    assertEquals(0, strip.exitCode(), strip.output());
                    String setconf = setconf(strip).output();
                    boolean refused = setconf.contains("Configuration parsing error") || setconf.contains("Invalid configuration");
                    assertEquals(e.getValue().refusedBy() == BadFixtures.RefusedBy.WG, refused, setconf);
                }));
    }

    private static Result strip(String fixture) throws Exception {
        Path file = dir.resolve("wg0.conf");
        Files.writeString(file, Fixtures.text(fixture));
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        return run(List.of("wg-quick", "strip", file.toString()));
    }

    private static Result setconf(Result stripped) throws Exception {
        Path file = Files.writeString(dir.resolve("stripped.conf"), stripped.output());
        return run(List.of("wg", "setconf", NO_SUCH_INTERFACE, file.toString()));
    }

    private static boolean onPath(String command) {
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(":"))
                .anyMatch(d -> !d.isEmpty() && Files.isExecutable(Path.of(d, command)));
    }

    /** Runs a command; for a successful wg-quick its stdout alone, else stdout and stderr. */
    private static Result run(List<String> command) throws IOException, InterruptedException {
        Path stderr = Files.createTempFile(dir, "stderr", ".txt");
        ProcessBuilder pb = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectError(stderr.toFile());
        pb.environment().put("WG_ENDPOINT_RESOLUTION_RETRIES", "0");
        Process p = pb.start();
        String stdout = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("timed out: " + command);
        }
        boolean strippedOk = p.exitValue() == 0 && command.getFirst().equals("wg-quick");
        return new Result(p.exitValue(), strippedOk ? stdout : stdout + Files.readString(stderr));
    }
}
