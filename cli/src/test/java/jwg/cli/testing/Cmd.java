package jwg.cli.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Runs a command to its end (bounded), with its output; input from a string if given. */
public final class Cmd {
    private Cmd() {}

    public record Result(List<String> command, int status, String out, String err) {
        public boolean ok() {
            return status == 0;
        }

        public Result orThrow() {
            if (!ok()) throw new IllegalStateException(String.join(" ", command) + " exited " + status + ": " + err.strip() + " " + out.strip());
            return this;
        }
    }

    public static Result run(List<String> command) throws IOException, InterruptedException {
        return run(command, Map.of(), null);
    }

    public static Result run(List<String> command, Map<String, String> env, String input) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().putAll(env);
        if (input == null) pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Process p = pb.start();
        if (input != null) {
            try (var in = p.getOutputStream()) {
                in.write(input.getBytes(StandardCharsets.UTF_8));
            }
        }
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(p.getInputStream()));
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException(String.join(" ", command) + " did not finish in 120 s");
        }
        return new Result(command, p.exitValue(), out.join(), err.join());
    }

    public static Result ok(String... command) throws IOException, InterruptedException {
        return run(List.of(command)).orThrow();
    }

    private static String read(java.io.InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }
}
