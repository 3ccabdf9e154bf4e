package jwg.datapath;

/**
 * How many peers and allowed IPs a heap holds. A configuration that would need more is refused
 * whole, with one line saying so ({@link CapacityException}), before anything of it is applied:
 * the alternative is an OutOfMemoryError half-way through, in the loop that moves the packets.
 * The costs are {@link Limits#PEER_HEAP_BYTES} and {@link Limits#ALLOWED_IP_HEAP_BYTES} each,
 * beyond {@link Limits#HEAP_RESERVE} for the rest of the process.
 *
 * @param heapBytes the heap's ceiling (java -Xmx)
 */
public record PeerCapacity(long heapBytes) {
    /** This JVM's: its maximum heap (-Xmx, or the JVM's default of a quarter of the memory). */
    public static PeerCapacity ofThisJvm() {
        return new PeerCapacity(Runtime.getRuntime().maxMemory());
    }

    /** The heap that peers and their allowed IPs may take. */
    public long budget() {
        return Math.max(0, heapBytes - Limits.HEAP_RESERVE);
    }

    /** The peers of one allowed IP each that fit, at most. */
    public long peers() {
        return budget() / (Limits.PEER_HEAP_BYTES + Limits.ALLOWED_IP_HEAP_BYTES);
    }

    public boolean fits(long peers, long allowedIps) {
        return bytesFor(peers, allowedIps) <= budget();
    }

    private static long bytesFor(long peers, long allowedIps) {
        return peers * Limits.PEER_HEAP_BYTES + allowedIps * Limits.ALLOWED_IP_HEAP_BYTES;
    }

    /** Throws, with one line naming what does not fit and the heap's ceiling, unless it {@link #fits}. */
    public void check(long peers, long allowedIps) throws CapacityException {
        if (fits(peers, allowedIps)) return;
        long needed = bytesFor(peers, allowedIps) + Limits.HEAP_RESERVE;
        throw new CapacityException(peers + (peers == 1 ? " peer" : " peers") + " with " + allowedIps
                + (allowedIps == 1 ? " allowed IP" : " allowed IPs") + " need about " + mebibytes(needed)
                + " MiB of heap, more than the " + mebibytes(heapBytes) + " MiB this jwg has (java -Xmx); it holds about "
                + peers() + " peers of one allowed IP each");
    }

    private static long mebibytes(long bytes) {
        return (bytes + (1 << 20) - 1) >> 20;
    }
}
