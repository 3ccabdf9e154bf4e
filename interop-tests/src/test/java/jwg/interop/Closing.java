package jwg.interop;

/** Closes test resources in order, all of them even when some fail; rethrows the first failure. */
final class Closing {
    private Closing() {
    }

    static void closeAll(AutoCloseable... resources) {
        Throwable first = null;
        for (AutoCloseable r : resources) {
            if (r == null) {
                continue;
            }
            try {
                r.close();
            } catch (Exception | AssertionError e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first instanceof RuntimeException re) {
            throw re;
        }
        if (first instanceof Error er) {
            throw er;
        }
        if (first != null) {
            throw new IllegalStateException(first);
        }
    }
}
