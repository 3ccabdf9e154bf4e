package jwg.sys;

import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;

import static jwg.sys.LibcConstants.CLONE_NEWNET;

/**
 * Work in another network namespace without moving any thread of ours there: Linux keeps the
 * network namespace per thread, so a task runs on a fresh platform thread that enters the
 * namespace with setns(2) and ends with the task. Sockets it creates (netlink, UDP) stay in that
 * namespace and are usable from any thread afterwards.
 */
public final class InNamespace {
    private InNamespace() {}

    /**
     * Runs task on a new thread in the network namespace nsFd refers to; the thread closes nsFd
     * once it has entered. The future completes with the task's result or its exception (an
     * {@link ErrnoException} if setns failed).
     */
    public static <T> CompletableFuture<T> supply(int nsFd, String threadName, Callable<T> task) {
        CompletableFuture<T> result = new CompletableFuture<>();
        Thread.ofPlatform().name(threadName).daemon().start(() -> {
            try {
                int r = Libc.setns(nsFd, CLONE_NEWNET);
                Libc.close(nsFd);
                Errno.check(r, "setns(CLONE_NEWNET)");
                result.complete(task.call());
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        });
        return result;
    }
}
