package jwg.routing;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs the programs wg-quick runs, found in the {@link Host}'s PATH, with wg-quick's environment
 * (that PATH, LC_ALL=C; not {@link WgQuick#DAEMON_ENVIRONMENT}). Their output goes to {@link Host#output} (jwg's own, as wg-quick's).
 * Children inherit the network namespace of the calling thread.
 */
final class Processes {
    private final Host host;

    Processes(Host host) {
        this.host = host;
    }

    boolean has(String program) {
        return host.find(program).isPresent();
    }

    /** Runs {@code command} with {@code input} as its standard input (null: jwg's own); fails unless it exits 0. */
    void run(List<String> command, String input) throws WgQuickException {
        int status = status(command, input);
        if (status != 0) {
            throw new WgQuickException("`" + String.join(" ", command) + "' failed with exit status " + status);
        }
    }

    /** Runs {@code command} as {@link #run} does and returns its exit status. */
    int status(List<String> command, String input) throws WgQuickException {
        return waitFor(start(command, input, false), command);
    }

    /**
     * The standard output of {@code command}, or null if it fails or is not installed (errors
     * discarded, as wg-quick's 2>/dev/null does).
     */
    String output(List<String> command) throws WgQuickException {
        if (!has(command.getFirst())) {
            return null;
        }
        Process process = start(command, null, true);
        try {
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return waitFor(process, command) == 0 ? output : null;
        } catch (IOException e) {
            process.destroy();
            throw new WgQuickException(command.getFirst() + ": " + e.getMessage());
        }
    }

    private Process start(List<String> command, String input, boolean capture) throws WgQuickException {
        Path program = host.find(command.getFirst())
                .orElseThrow(() -> new WgQuickException(command.getFirst() + ": command not found"));
        List<String> argv = new ArrayList<>(command);
        argv.set(0, program.toString());
        ProcessBuilder builder = new ProcessBuilder(argv)
                .redirectInput(input == null ? ProcessBuilder.Redirect.INHERIT : ProcessBuilder.Redirect.PIPE)
                .redirectOutput(capture ? ProcessBuilder.Redirect.PIPE : host.output())
                .redirectError(capture ? ProcessBuilder.Redirect.DISCARD : host.output());
        builder.environment().put("PATH", host.path());
        builder.environment().put("LC_ALL", "C");
        builder.environment().keySet().removeAll(WgQuick.DAEMON_ENVIRONMENT);
        try {
            Process process = builder.start();
            if (input != null) {
                try (OutputStream stdin = process.getOutputStream()) {
                    stdin.write(input.getBytes(StandardCharsets.UTF_8));
                } catch (IOException e) {
                    // The program exited without reading everything; its exit status tells.
                }
            }
            return process;
        } catch (IOException e) {
            throw new WgQuickException(command.getFirst() + ": " + e.getMessage());
        }
    }

    private static int waitFor(Process process, List<String> command) throws WgQuickException {
        try {
            return process.waitFor();
        } catch (InterruptedException e) {
            process.destroy();
            throw new WgQuickException("interrupted while running `" + String.join(" ", command) + "'");
        }
    }
}
