package jwg.crypto;

import java.util.Arrays;

/** Overwrites key material that is no longer needed. */
public final class Wipe {
    private Wipe() {}

    public static void wipe(byte[]... keys) {
        for (byte[] k : keys) if (k != null) Arrays.fill(k, (byte) 0);
    }
}
