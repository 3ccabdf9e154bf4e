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
 * Confined to the device's event loop.
 */
final class HandshakeQueue {
    /** The kernel's and wireguard-go's UnderLoadAfterTime: under load ends a second after the queue drains below an eighth. */
    static final long UNDER_LOAD_AFTER_NANOS = 1_000_000_000L;

    private final int capacity;
    /** Per slot, an array of each handshake message's length: [slot][0] initiations, [1] responses, [2] cookie replies. */
    private final byte[][][] messages;
    private final int[] kinds;
    private final InetSocketAddress[] senders;
    private int head;
    private int size;
    private boolean wasUnderLoad;
    private long lastUnderLoad;

    HandshakeQueue(int capacity) {
        this.capacity = capacity;
        this.messages = new byte[capacity][][];
        this.kinds = new int[capacity];
        this.senders = new InetSocketAddress[capacity];
    }

    /**
     * Copies the message at nio[position, limit), which the caller has classified as an initiation,
     * a response or a cookie reply (so of exactly one of their lengths), with its sender; false if
     * the queue is full (the caller counts the drop).
     */
    boolean offer(ByteBuffer nio, InetSocketAddress sender) {
        if (size == capacity) return false;
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
