package jwg.cli.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Processes found by their command line, e.g. the background jwg of one interface name. */
public final class Processes {
    private Processes() {}

    /** Pids of the processes whose argv ends with "jwg.cli.Main", then args. */
    public static List<Long> jwg(String... args) throws IOException {
        String tail = "jwg.cli.Main\0" + String.join("\0", args) + "\0";
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            return procs.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit))
                    .filter(p -> cmdline(p).endsWith(tail))
                    .map(p -> Long.parseLong(p.getFileName().toString()))
                    .toList();
        }
    }

    private static String cmdline(Path proc) {
        try {
            return new String(Files.readAllBytes(proc.resolve("cmdline")), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    /** Polls until condition holds or timeoutMillis pass; whether it held. */
    public static boolean await(long timeoutMillis, Check condition) throws Exception {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (!condition.holds()) {
            if (System.currentTimeMillis() > deadline) return false;
            Thread.sleep(50);
        }
        return true;
    }

    @FunctionalInterface
    public interface Check {
        boolean holds() throws Exception;
    }
}
