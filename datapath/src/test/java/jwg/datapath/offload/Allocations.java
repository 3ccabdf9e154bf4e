package jwg.datapath.offload;

import java.lang.management.ManagementFactory;

/** Bytes of heap this thread allocates while a piece of code runs (HotSpot's per-thread counter). */
final class Allocations {
    private Allocations() {}

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    /** Runs code warmUp times, then counts what runs more calls allocate. */
    static long measure(int warmUp, int runs, Runnable code) {
        for (int i = 0; i < warmUp; i++) code.run();
        long before = THREADS.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < runs; i++) code.run();
        return THREADS.getCurrentThreadAllocatedBytes() - before;
    }
}
