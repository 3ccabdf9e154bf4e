package jwg.cli;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import jwg.cli.posix.Posix;
import jwg.sys.ErrnoException;
import jwg.sys.Libc;
import jwg.sys.LibcConstants;

/**
 * Going to the background as wireguard-go does (main.go): the process runs itself again, the same
 * command line with WG_PROCESS_FOREGROUND=1, and returns once that child has the interface and its
 * UAPI socket up, so that the caller's next `wg setconf` finds it; it returns the child's failure
 * otherwise. wireguard-go hands its child the TUN and socket fds; a JVM cannot, so the child makes
 * them itself and reports ready on its standard output, a pipe to the parent. Its standard error
 * is the parent's until then, so setup errors reach the user; afterwards both go to /dev/null
 * unless LOG_LEVEL is set (wireguard-go keeps the log then, too). A parent interrupted before
 * then (Ctrl-C, SIGTERM) stops the child, which undoes what it has done.
 */
final class Background {
    private Background() {}

    /** Set in the child's environment: it detaches once ready. (Both in WgQuick.DAEMON_ENVIRONMENT: not for its hooks.) */
    static final String CHILD = "JWG_BACKGROUND_CHILD";
    static final String FOREGROUND = "WG_PROCESS_FOREGROUND";
    private static final String READY = "jwg: ready";
    private static final long READY_TIMEOUT_SECONDS = 60;
    private static final long STOP_TIMEOUT_SECONDS = 30;

    /** Whether the child keeps its log once ready: LOG_LEVEL set, and not to silent (wireguard-go's rule). */
    static boolean keepLog() {
        String level = System.getenv("LOG_LEVEL");
        return level != null && !level.equals("silent");
    }

    static boolean isChild() {
        return "1".equals(System.getenv(CHILD));
    }

    /** The parent: starts the child and waits for it to be ready; the exit status. */
    static int start() throws UserError {
        return start(java.util.Map.of());
    }

    /** As {@link #start()}, with environment added to the child's (e.g. a mark that `jwg down` looks for). */
    static int start(java.util.Map<String, String> environment) throws UserError {
        Process child;
        try {
            ProcessBuilder pb = new ProcessBuilder(ownCommandLine())
                    .redirectInput(new File("/dev/null"))
                    .redirectOutput(ProcessBuilder.Redirect.PIPE)
                    .redirectError(ProcessBuilder.Redirect.INHERIT);
            pb.environment().put(FOREGROUND, "1");
            pb.environment().put(CHILD, "1");
            pb.environment().putAll(environment);
            child = pb.start();
        } catch (IOException e) {
            throw new UserError("cannot go to the background: " + e.getMessage());
        }
        CompletableFuture<Boolean> ready = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null && !line.equals(READY)) {
                    System.out.println(line); // not ours to swallow
                }
                ready.complete(line != null);
            } catch (IOException e) {
                ready.complete(false);
            }
        });
        // Interrupted (Ctrl-C, SIGTERM) before the child is ready: it undoes what it has done, as wg-quick's trap does.
        Thread undo = new Thread(() -> {
            if (!ready.getNow(false)) stop(child);
        }, "jwg-background-undo");
        Runtime.getRuntime().addShutdownHook(undo);
        try {
            if (ready.get(READY_TIMEOUT_SECONDS, TimeUnit.SECONDS)) return 0;
            int status = child.waitFor();
            return status == 0 ? 1 : status;
        } catch (TimeoutException e) {
            stop(child);
            throw new UserError("the background process did not come up within " + READY_TIMEOUT_SECONDS + " s");
        } catch (InterruptedException | ExecutionException e) {
            stop(child);
            throw new UserError("interrupted while waiting for the background process");
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(undo);
            } catch (IllegalStateException shuttingDown) {
                // the hook runs
            }
        }
    }

    /** Stops a child that is not ready: SIGTERM, on which it undoes its steps, then SIGKILL if that takes too long. */
    private static void stop(Process child) {
        child.destroy();
        try {
            if (!child.waitFor(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS)) child.destroyForcibly();
        } catch (InterruptedException e) {
            child.destroyForcibly();
        }
    }

    /** The child, first thing: a session of its own, so that the terminal's signals and hangup no longer reach it. */
    static void detachFromTerminal() throws UserError {
        try {
            Posix.setsid();
        } catch (ErrnoException e) {
            throw new UserError("cannot detach from the terminal: " + e.getMessage());
        }
    }

    /** The child, once its socket is up: tells the parent, then lets go of the parent's output. */
    static void ready(boolean keepLog) {
        System.out.println(READY);
        System.out.flush();
        int devNull = Libc.open("/dev/null", LibcConstants.O_RDWR);
        try {
            if (devNull < 0) throw new ErrnoException("open(/dev/null)", -devNull);
            Posix.dup2(devNull, 1);
            if (!keepLog) Posix.dup2(devNull, 2);
        } catch (ErrnoException e) {
            System.err.println("jwg: cannot let go of the terminal: " + e.getMessage());
        } finally {
            if (devNull > 2) Libc.close(devNull);
        }
    }

    /** This process's own command line: the executable and argv[1...], as the kernel has them. */
    private static List<String> ownCommandLine() throws IOException {
        byte[] raw = Files.readAllBytes(Path.of("/proc/self/cmdline"));
        String[] argv = new String(raw, StandardCharsets.UTF_8).split("\0");
        List<String> command = new ArrayList<>();
        command.add(Files.readSymbolicLink(Path.of("/proc/self/exe")).toString());
        command.addAll(Arrays.asList(argv).subList(1, argv.length));
        return command;
    }
}
