package jwg.noise.keys;

/**
 * A peer's three keypair slots (whitepaper 5.4.5, 6.1; as the kernel and wireguard-go):
 * <ul>
 * <li>current: the one we send with;</li>
 * <li>previous: the one before, still accepted for receiving while the peer switches over;</li>
 * <li>next: a keypair we derived as responder. The responder must not send with it before the
 * initiator has proved it holds the keys too, i.e. before a transport message arrives on it
 * ({@link #receivedWith}); only then does it become current.</li>
 * </ul>
 * A keypair derived as initiator becomes current at once: the response proved the peer has it.
 * Dropped keypairs are {@link Keypair#retire retired}: keys wiped, index released.
 *
 * <p>Not thread-safe: confined, as its keypairs, to the thread that owns the peer.
 */
public final class Keypairs {
    private Keypair current;
    private Keypair previous;
    private Keypair next;

    /** The keypair to send with, or null. */
    public Keypair current() { return current; }

    public Keypair previous() { return previous; }

    public Keypair next() { return next; }

    /** The keypair among current, previous and next whose local index is index, or null (receive path). */
    public Keypair forLocalIndex(int index) {
        Keypair kp = current;
        if (kp != null && kp.localIndex() == index) return kp;
        kp = next;
        if (kp != null && kp.localIndex() == index) return kp;
        kp = previous;
        if (kp != null && kp.localIndex() == index) return kp;
        return null;
    }

    /** Installs a freshly derived keypair in the slot its role calls for (5.4.5). */
    public void install(Keypair kp) {
        Keypair oldCurrent = current;
        Keypair oldPrevious = previous;
        Keypair oldNext = next;
        if (kp.isInitiator()) {
            if (oldNext != null) {
                // The pending next was never confirmed; keep it as previous so that messages
                // the peer already sent on it still decrypt, and drop the current one instead.
                previous = oldNext;
                next = null;
                current = kp;
                retire(oldCurrent);
            } else {
                previous = oldCurrent;
                current = kp;
            }
        } else {
            next = kp;
            previous = null;
            retire(oldNext);
        }
        retire(oldPrevious);
    }

    /**
     * Called after a transport message authenticated on kp. If kp is the pending next keypair,
     * it becomes current (previous = old current) and true is returned: the responder's
     * handshake is now confirmed.
     */
    public boolean receivedWith(Keypair kp) {
        if (next != kp) return false;
        Keypair oldPrevious = previous;
        previous = current;
        current = kp;
        next = null;
        retire(oldPrevious);
        return true;
    }

    /** Drops all keypairs (6.3: keys zeroed after 3 * REJECT_AFTER_TIME; or the peer is removed). */
    public void clear() {
        Keypair c = current;
        Keypair p = previous;
        Keypair n = next;
        current = null;
        previous = null;
        next = null;
        retire(c);
        retire(p);
        retire(n);
    }

    private static void retire(Keypair kp) {
        if (kp != null) kp.retire();
    }

    @Override
    public String toString() {
        return "Keypairs[current=" + current + ", previous=" + previous + ", next=" + next + "]";
    }
}
