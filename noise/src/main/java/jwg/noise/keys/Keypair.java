package jwg.noise.keys;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import jwg.crypto.SessionKey;
import jwg.noise.IndexTable;
import jwg.noise.Protocol;
import jwg.noise.replay.ReplayWindow;

/**
 * One session of a peer (whitepaper 5.4.5): the transport keys T_send and T_recv, the local index
 * (ours, the peer sends it as receiver index) and the remote index (we send it), who initiated
 * the handshake, when it was made, the send counter and the replay window of received counters.
 *
 * <p>Thread-safety: the keys and indices are final; the send counter is atomic, so several
 * encrypt workers may take counters at once; the replay window is guarded by its own lock.
 *
 * <p>Lifetime: a keypair is reference counted so that its keys are wiped only when no worker
 * still uses them. Its owner ({@link Keypairs}) holds one reference and {@link #retire}s it when
 * the keypair is dropped, which also releases the local index. Workers bracket every use:
 * <pre>{@code
 * if (kp.tryAcquire()) try { ... } finally { kp.release(); }
 * }</pre>
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

    private final AtomicLong sendCounter;
    private final ReplayWindow replay = new ReplayWindow();
    /** The owner's reference plus one per worker using the keys; 0 means wiped. */
    private final AtomicInteger references = new AtomicInteger(1);
    private final AtomicBoolean retired = new AtomicBoolean();

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
        this.sendCounter = new AtomicLong(firstSendCounter);
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
        long counter = sendCounter.getAndIncrement();
        if (Long.compareUnsigned(counter, Protocol.REJECT_AFTER_MESSAGES) >= 0) {
            sendCounter.set(Protocol.REJECT_AFTER_MESSAGES); // never let it wrap around to 0
            return COUNTER_EXHAUSTED;
        }
        return counter;
    }

    /** The number of counters taken so far (unsigned). */
    public long sendCount() {
        return sendCounter.get();
    }

    /**
     * Records a received counter after its message authenticated (5.4.6): true if new and inside
     * the window, false if replayed, too old, or at or beyond REJECT_AFTER_MESSAGES.
     */
    public boolean acceptReceivedCounter(long counter) {
        synchronized (replay) { // the window also rejects counters >= REJECT_AFTER_MESSAGES
            return replay.accept(counter);
        }
    }

    /**
     * 6.2, as wireguard-go's keepKeyFreshSending: after sending on this keypair, start a new
     * handshake if more than REKEY_AFTER_MESSAGES were sent, or if we initiated it and it is
     * REKEY_AFTER_TIME old.
     */
    public boolean needsRekeyAfterSend(long nowNanos) {
        return Long.compareUnsigned(sendCounter.get(), Protocol.REKEY_AFTER_MESSAGES) > 0
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
                || Long.compareUnsigned(sendCounter.get(), Protocol.REJECT_AFTER_MESSAGES) >= 0;
    }

    /** 6.1: no message is accepted with a keypair REJECT_AFTER_TIME old. */
    public boolean isExpiredForReceiving(long nowNanos) {
        return age(nowNanos) >= Protocol.REJECT_AFTER_TIME.toNanos();
    }

    private long age(long nowNanos) {
        return nowNanos - createdNanos;
    }

    /**
     * Takes a reference for using the keys; false once the keypair is retired. (A worker that
     * acquires while another thread retires it still holds valid keys until it releases.)
     */
    public boolean tryAcquire() {
        while (true) {
            int n = references.get();
            if (n == 0 || retired.get()) return false;
            if (references.compareAndSet(n, n + 1)) return true;
        }
    }

    /** Gives back a reference taken with {@link #tryAcquire}. */
    public void release() {
        if (references.decrementAndGet() == 0) {
            sendKey.wipe();
            receiveKey.wipe();
        }
    }

    /** Drops the keypair: releases its index, and its keys are wiped once no worker uses them. Idempotent. */
    public void retire() {
        if (retired.compareAndSet(false, true)) {
            indices.release(localIndex);
            release();
        }
    }

    public boolean isRetired() {
        return retired.get();
    }

    @Override
    public String toString() {
        return String.format("Keypair[local=%08x, remote=%08x, %s]", localIndex, remoteIndex,
                initiator ? "initiator" : "responder");
    }
}
