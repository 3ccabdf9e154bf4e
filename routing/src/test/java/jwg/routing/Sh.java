package jwg.routing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Runs a command with its output to a file (daemons it starts cannot hold a pipe open). */
final class Sh {
    record Result(int status, String output) {}

    private Sh() {}

    static Result run(Map<String, String> environment, List<String> command) throws IOException, InterruptedException {
        Path output = Files.createTempFile("jwg-routing-", ".out");
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(output.toFile()).redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
            builder.environment().putAll(environment);
            int status = builder.start().waitFor();
            return new Result(status, Files.readString(output));
        } finally {
            Files.deleteIfExists(output);
        }
    }

    static String check(String... command) throws IOException, InterruptedException {
        Result result = run(Map.of(), List.of(command));
        if (result.status() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + result.output().strip());
        }
        return result.output();
    }
}
