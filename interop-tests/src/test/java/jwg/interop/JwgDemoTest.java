package jwg.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import jwg.interop.fixture.JwgProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** README's first command, `./jwg demo`, as a new user runs it; and on a machine without ping. */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class JwgDemoTest {
    private static Path jwg() {
        return JwgProcess.jar().getParent().getParent().getParent().resolve("jwg");
    }

    private static Process run(List<String> command, java.util.Map<String, String> env, Path log) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().putAll(env);
        return pb.start();
    }

    @Test
    void theDemoShowsAHandshakeAPingAndAThroughputAndLeavesNothing(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("demo.log");
        Process p = run(List.of(jwg().toString(), "demo"), java.util.Map.of(), log);
        assertTrue(p.waitFor(150, TimeUnit.SECONDS), "the demo ends by itself");
        String out = Files.readString(log);
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("handshake complete"), out);
        assertTrue(out.contains(" 0% packet loss"), out);
        assertTrue(out.matches("(?s).*\\d+(\\.\\d+)? [MG]bits?/s.*|(?s).*\\d+ Mbit/s.*"), "a throughput figure: " + out);
        assertFalse(out.contains("Exception"), out);
        String namespaces = new String(new ProcessBuilder("ip", "netns", "list").start().getInputStream().readAllBytes());
        assertFalse(namespaces.contains("jwgdemo"), "its namespaces are gone: " + namespaces);
    }

    /** A PATH with what the demo needs but ping: it names the package in one line and exits 1 (JWG_DEMO_INSTALL=no: no apt-get). */
    @Test
    void withoutPingItNamesThePackageInOneLine(@TempDir Path dir) throws Exception {
        Path bin = Files.createDirectory(dir.resolve("bin"));
        for (String tool : List.of("bash", "mvn", "ip", "dirname", "find", "sed", "cat", "id", "readlink", "iperf3", "python3", "env")) {
            Path real = which(tool);
            if (real != null) Files.createSymbolicLink(bin.resolve(tool), real);
        }
        Path log = dir.resolve("demo.log");
        Process p = run(List.of(bin.resolve("bash").toString(), jwg().toString(), "demo"),
                java.util.Map.of("PATH", bin.toString(), "JWG_DEMO_INSTALL", "no"), log);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        List<String> lines = Files.readAllLines(log).stream().filter(l -> !l.isBlank()).toList();
        assertEquals(1, p.exitValue(), String.join("\n", lines));
        assertEquals(List.of("jwg demo: iputils-ping missing; install with: apt-get install iputils-ping"), lines);
    }

    private static Path which(String tool) throws IOException {
        for (String d : System.getenv("PATH").split(":")) {
            Path p = Path.of(d, tool);
            if (Files.isExecutable(p)) return p.toRealPath();
        }
        return null;
    }
}
