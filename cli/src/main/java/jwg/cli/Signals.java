package jwg.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import sun.misc.Signal;

/** SIGINT and SIGTERM as a future, so that the main thread stops the device itself and exits 0. */
final class Signals {
    private final CompletableFuture<String> received = new CompletableFuture<>();
    private volatile Thread interruptee;

    private Signals() {}

    static Signals install() {
        Signals s = new Signals();
        for (String name : new String[] {"INT", "TERM"}) {
            Signal.handle(new Signal(name), sig -> {
                s.received.complete("SIG" + sig.getName());
                Thread t = s.interruptee;
                if (t != null) t.interrupt();
            });
        }
        return s;
    }

    /** While t is set, a signal also interrupts t (a long step such as bringing routing up); null to stop. */
    void interruptOnSignal(Thread t) {
        interruptee = t;
    }

    /** Waits for a signal or for any of the other reasons to stop; the reason. */
    String awaitStop(List<CompletableFuture<String>> others) {
        List<CompletableFuture<String>> all = new ArrayList<>(others);
        all.add(received);
        try {
            return (String) CompletableFuture.anyOf(all.toArray(CompletableFuture<?>[]::new)).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        } catch (ExecutionException e) {
            return String.valueOf(e.getCause());
        }
    }
}
