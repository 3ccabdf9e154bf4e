package jwg.cli.uapi;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The bytes that the requests in progress on one socket hold ({@link UapiLimits#budgetBytes}),
 * taken in chunks as a request grows and given back when it is answered. Shared by the
 * connections' threads: a fair semaphore of chunks, so a large request waits its turn instead of
 * starving.
 */
final class RequestBudget {
    /** The unit in which bytes are taken: a `set` line is under 100 bytes, so a chunk is taken every ~650 lines. */
    static final int CHUNK = 64 << 10;

    private final Semaphore chunks;

    RequestBudget(long bytes) {
        chunks = new Semaphore((int) Math.min(Integer.MAX_VALUE, bytes / CHUNK), true);
    }

    /** Chunks covering bytes. */
    static int chunksFor(long bytes) {
        return (int) Math.max(1, (bytes + CHUNK - 1) / CHUNK);
    }

    /** Takes n chunks, waiting until the deadline (System.nanoTime) at most; whether it got them. */
    boolean take(int n, long deadline) throws InterruptedException {
        return chunks.tryAcquire(n, Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    }

    void give(int n) {
        if (n > 0) chunks.release(n);
    }

    int available() {
        return chunks.availablePermits();
    }
}
