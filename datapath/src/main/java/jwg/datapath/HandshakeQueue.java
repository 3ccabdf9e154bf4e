package jwg.datapath;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import jwg.noise.Protocol;

/**
 * The handshake messages that wait for the loop's handshake work (the kernel's per-device
 * handshake queue, wireguard-go's queue.handshake): transport messages are decrypted as they
 * arrive, while handshake messages are copied here and worked in slices of bounded time between
 * the loop's reads, so that a flood of them costs the data at most those slices; a message that
 * finds the queue full is dropped and counted, never queued without bound.
 *
 * <p>Under load (whitepaper 5.4.7) is the references' measure: while at least an eighth of the
 * queue waits, and for {@link #UNDER_LOAD_AFTER_NANOS} after the last time it did.
 *
 * <p>Each of the {@link Limits#HANDSHAKE_QUEUE} slots has an array of each handshake message's
 * length (initiation, response, cookie reply), made the first time the slot holds such a message,
 * so that a message is handed on as an array of exactly its length without allocating once the
 * slot has been used. The queue starts again at its first slot whenever it is empty, so a device
 * that is not flooded uses its first few slots only, and the rest (300 KB) are never made.
 *
 * <p>No source holds more than its share of the queue: messages are counted per source address
 * (hashed with a secret key into as many buckets as the queue has slots; a collision only shares
 * a count), and one from a source that has {@code perSource} waiting is refused. A flood from one
 * host then fills an eighth of the queue, which puts the device under load, and leaves the rest
 * to everyone else: a real peer's initiation finds room and gets its cookie reply at once,
 * instead of waiting for a retry until the flood happens to leave a slot free.
 *
 * <p>Confined to the device's event loop.
 */
final class HandshakeQueue {
    /** The kernel's and wireguard-go's UnderLoadAfterTime: under load ends a second after the queue drains below an eighth. */
    static final long UNDER_LOAD_AFTER_NANOS = 1_000_000_000L;

    private final int capacity;
    /** Per slot, an array of each handshake message's length: [slot][0] initiations, [1] responses, [2] cookie replies. */
    private final byte[][][] messages;
    private final int[] kinds;
    private final InetSocketAddress[] senders;
    private final int perSource;
    private final long sourceKey;
    /** Waiting messages per source bucket, and each slot's bucket. */
    private final short[] perBucket;
    private final int[] buckets;
    private int head;
    private int size;
    private boolean wasUnderLoad;
    private long lastUnderLoad;

    /** A queue of capacity slots with no limit per source. */
    HandshakeQueue(int capacity) {
        this(capacity, capacity, 0);
    }

    /** A queue of capacity slots, at most perSource (at most 32767) of them from one source; sourceKey must be secret and random. */
    HandshakeQueue(int capacity, int perSource, long sourceKey) {
        this.capacity = capacity;
        this.messages = new byte[capacity][][];
        this.kinds = new int[capacity];
        this.senders = new InetSocketAddress[capacity];
        this.perSource = Math.min(perSource, Short.MAX_VALUE);
        this.sourceKey = sourceKey;
        this.perBucket = new short[Integer.highestOneBit(Math.max(1, capacity - 1)) << 1];
        this.buckets = new int[capacity];
    }

    /** Whether the queue is full (a refused offer was for want of room, not for its source's share). */
    boolean isFull() {
        return size == capacity;
    }

    private int bucket(InetSocketAddress sender) {
        long h = (sender.getAddress().hashCode() ^ sourceKey) * 0x9e3779b97f4a7c15L;
        return (int) (h >>> 40) & (perBucket.length - 1);
    }

    /**
     * Copies the message at nio[position, limit), which the caller has classified as an initiation,
     * a response or a cookie reply (so of exactly one of their lengths), with its sender; false if
     * the queue is full or holds its sender's share (the caller counts the drop, {@link #isFull}
     * telling which).
     */
    boolean offer(ByteBuffer nio, InetSocketAddress sender) {
        if (size == capacity) return false;
        int bucket = bucket(sender);
        if (perBucket[bucket] >= perSource) return false;
        int slot = (head + size) % capacity;
        int kind = switch (nio.remaining()) {
            case Protocol.INITIATION_LEN -> 0;
            case Protocol.RESPONSE_LEN -> 1;
            case Protocol.COOKIE_REPLY_LEN -> 2;
            default -> throw new IllegalArgumentException("not a handshake message: " + nio.remaining() + " bytes");
        };
        nio.get(nio.position(), array(slot, kind, nio.remaining()));
        kinds[slot] = kind;
        senders[slot] = sender;
        buckets[slot] = bucket;
        perBucket[bucket]++;
        size++;
        return true;
    }

    private byte[] array(int slot, int kind, int length) {
        byte[][] arrays = messages[slot];
        if (arrays == null) messages[slot] = arrays = new byte[3][];
        byte[] a = arrays[kind];
        if (a == null) arrays[kind] = a = new byte[length];
        return a;
    }

    boolean isEmpty() {
        return size == 0;
    }

    /** The oldest message, an array of exactly its length, valid until {@link #remove}. */
    byte[] message() {
        return messages[head][kinds[head]];
    }

    InetSocketAddress sender() {
        return senders[head];
    }

    /** Done with the oldest message. */
    void remove() {
        senders[head] = null;
        perBucket[buckets[head]]--;
        size--;
        head = size == 0 ? 0 : (head + 1) % capacity;
    }

    /** Drops every waiting message (the interface went down); returns how many. */
    int clear() {
        int n = size;
        while (size > 0) remove();
        return n;
    }

    /** Whitepaper 5.4.7, measured as the kernel and wireguard-go measure it. */
    boolean underLoad(long now) {
        if (size >= capacity / 8) {
            wasUnderLoad = true;
            lastUnderLoad = now;
            return true;
        }
        return wasUnderLoad && now - lastUnderLoad < UNDER_LOAD_AFTER_NANOS;
    }
}
