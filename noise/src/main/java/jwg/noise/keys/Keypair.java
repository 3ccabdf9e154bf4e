package jwg.noise.keys;

import jwg.crypto.SessionKey;
import jwg.noise.IndexTable;
import jwg.noise.Protocol;
import jwg.noise.replay.ReplayWindow;

/**
 * One session of a peer (whitepaper 5.4.5): the transport keys T_send and T_recv, the local index
 * (ours, the peer sends it as receiver index) and the remote index (we send it), who initiated
 * the handshake, when it was made, the send counter and the replay window of received counters.
 *
 * <p>Not thread-safe: confined, with the peer it belongs to, to the thread that owns the peer
 * (the device's event loop), which takes the send counters, checks the replay window and retires
 * the keypair. The keys and indices are final.
 *
 * <p>Lifetime: its owner ({@link Keypairs}) {@link #retire}s it when it is dropped, which wipes
 * the keys and releases the local index at once. (Sealing on other cores would hand workers the
 * keys and counters reserved on the owning thread, as wireguard-go's encryption workers get them;
 * the owner must then not retire a keypair while a worker still uses its keys: it would wait for
 * the work in flight, or count the keypair's users again, as this class did before it was
 * confined.)
 */
public final class Keypair {
    /** Returned by {@link #nextSendCounter} when the counter is used up (REJECT_AFTER_MESSAGES). */
    public static final long COUNTER_EXHAUSTED = -1L;

    private final SessionKey sendKey;
    private final SessionKey receiveKey;
    private final int localIndex;
    private final int remoteIndex;
    private final boolean initiator;
    private final long createdNanos;
    private final IndexTable indices;

    /** The next send counter (unsigned); REJECT_AFTER_MESSAGES once used up. */
    private long sendCounter;
    private final ReplayWindow replay = new ReplayWindow();
    private boolean retired;

    /**
     * Takes the two 32-byte transport keys (made into SessionKeys; the caller wipes its arrays).
     * The keypair now owns localIndex in indices and releases it when retired.
     */
    public Keypair(byte[] sendKey, byte[] receiveKey, int localIndex, int remoteIndex, boolean initiator,
                   long createdNanos, IndexTable indices) {
        this(sendKey, receiveKey, localIndex, remoteIndex, initiator, createdNanos, indices, 0);
    }

    /** With a given first send counter: lets tests reach REJECT_AFTER_MESSAGES. */
    Keypair(byte[] sendKey, byte[] receiveKey, int localIndex, int remoteIndex, boolean initiator,
            long createdNanos, IndexTable indices, long firstSendCounter) {
        this.sendKey = new SessionKey(sendKey);
        this.receiveKey = new SessionKey(receiveKey);
        this.localIndex = localIndex;
        this.remoteIndex = remoteIndex;
        this.initiator = initiator;
        this.createdNanos = createdNanos;
        this.indices = indices;
        this.sendCounter = firstSendCounter;
    }

    public SessionKey sendKey() { return sendKey; }

    public SessionKey receiveKey() { return receiveKey; }

    public int localIndex() { return localIndex; }

    public int remoteIndex() { return remoteIndex; }

    public boolean isInitiator() { return initiator; }

    public long createdNanos() { return createdNanos; }

    /**
     * Takes the next send counter (the nonce of the next transport message), or
     * {@link #COUNTER_EXHAUSTED} once REJECT_AFTER_MESSAGES counters were used (6.1: the keypair
     * must then not send any more).
     */
    public long nextSendCounter() {
        long counter = sendCounter;
        if (Long.compareUnsigned(counter, Protocol.REJECT_AFTER_MESSAGES) >= 0) return COUNTER_EXHAUSTED; // never wraps around to 0
        sendCounter = counter + 1;
        return counter;
    }

    /** The number of counters taken so far (unsigned). */
    public long sendCount() {
        return sendCounter;
    }

    /**
     * Records a received counter after its message authenticated (5.4.6): true if new and inside
     * the window, false if replayed, too old, or at or beyond REJECT_AFTER_MESSAGES.
     */
    public boolean acceptReceivedCounter(long counter) {
        return replay.accept(counter); // the window also rejects counters >= REJECT_AFTER_MESSAGES
    }

    /**
     * 6.2, as wireguard-go's keepKeyFreshSending: after sending on this keypair, start a new
     * handshake if more than REKEY_AFTER_MESSAGES were sent, or if we initiated it and it is
     * REKEY_AFTER_TIME old.
     */
    public boolean needsRekeyAfterSend(long nowNanos) {
        return Long.compareUnsigned(sendCounter, Protocol.REKEY_AFTER_MESSAGES) > 0
                || (initiator && age(nowNanos) >= Protocol.REKEY_AFTER_TIME.toNanos());
    }

    /**
     * 6.2, as keepKeyFreshReceiving: after receiving on this keypair, the initiator starts a new
     * handshake if it is REJECT_AFTER_TIME - KEEPALIVE_TIMEOUT - REKEY_TIMEOUT old, so that a
     * fresh session exists before this one expires. (The caller also checks that it has not sent
     * a handshake in the last minute: that is timer state.)
     */
    public boolean needsRekeyAfterReceive(long nowNanos) {
        return initiator && age(nowNanos) >= Protocol.REKEY_AFTER_TIME_RECEIVING.toNanos();
    }

    /** 6.1: no message is sent with a keypair REJECT_AFTER_TIME old or with REJECT_AFTER_MESSAGES counters used. */
    public boolean isExpiredForSending(long nowNanos) {
        return age(nowNanos) >= Protocol.REJECT_AFTER_TIME.toNanos()
                || Long.compareUnsigned(sendCounter, Protocol.REJECT_AFTER_MESSAGES) >= 0;
    }

    /** 6.1: no message is accepted with a keypair REJECT_AFTER_TIME old. */
    public boolean isExpiredForReceiving(long nowNanos) {
        return age(nowNanos) >= Protocol.REJECT_AFTER_TIME.toNanos();
    }

    private long age(long nowNanos) {
        return nowNanos - createdNanos;
    }

    /** Drops the keypair: wipes its keys and releases its index. Idempotent. */
    public void retire() {
        if (retired) return;
        retired = true;
        indices.release(localIndex);
        sendKey.wipe();
        receiveKey.wipe();
    }

    public boolean isRetired() {
        return retired;
    }

    @Override
    public String toString() {
        return String.format("Keypair[local=%08x, remote=%08x, %s]", localIndex, remoteIndex,
                initiator ? "initiator" : "responder");
    }
}
