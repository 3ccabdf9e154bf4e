package jwg.noise;

import java.util.random.RandomGenerator;

/**
 * The local session indices in use (whitepaper 5.4.2: "I_i ... randomly generated", used as
 * receiver index by the peer). A handshake claims a fresh random index; the keypair derived from
 * it keeps the index until it is dropped, then releases it. A claim of an index in use fails.
 * Each view is normally bound to one peer, so that the datapath can find the peer of an incoming
 * receiver index (see {@link IndexMap}).
 */
public interface IndexTable {
    /** Claims index if it is not in use; false if it is. */
    boolean claim(int index);

    /** Releases an index claimed before. */
    void release(int index);

    /**
     * Claims an unpredictable index: draws 32-bit values from random (a SecureRandom in
     * production) until one is free. Indices are never sequential, so they reveal nothing about
     * the number of sessions (an implementation mistake others shipped).
     */
    default int claimRandom(RandomGenerator random) {
        while (true) {
            int index = random.nextInt();
            if (claim(index)) return index;
        }
    }
}
