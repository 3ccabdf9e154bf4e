package jwg.datapath;

import java.util.concurrent.TimeUnit;

/**
 * The datapath's implementation limits: buffer sizes, batch bounds, the work one wakeup may do,
 * queue lengths, timer resolution. None of them is on the wire; the protocol's own constants (the
 * whitepaper's) are in {@link jwg.noise.Protocol}. One place for all of them.
 */
public final class Limits {
    private Limits() {}

    // ---- packets and buffers ----

    /**
     * The largest IP packet read from or written to the TUN, split or coalesced: an IPv4 total
     * length's limit, which we keep to for IPv6 as well (no jumbograms, RFC 2675).
     */
    public static final int MAX_IP_LENGTH = 65535;
    /**
     * Segments of one super-packet at most, whichever way it goes: a TUN read split here (64 KiB
     * at the smallest MSS an IPv6 MTU of 1280 allows, rounded up), one coalesced for a TUN write,
     * and the datagrams of one UDP GSO send (the kernel's UDP_MAX_SEGMENTS before Linux 6.9).
     */
    public static final int GSO_SEGMENTS = 64;
    /** The bytes of one UDP GSO send: an IPv4 datagram's payload limit (65535 - 20 - 8), which IPv6 also fits. */
    public static final int GSO_BYTES = 65507;
    /** The largest datagram read: the UDP maximum, so an oversized datagram is seen and dropped, never truncated. */
    public static final int MAX_DATAGRAM = 65536;
    /** The UDP socket's send and receive buffers (forced past the sysctl limits when we may, as wireguard-go). */
    public static final int SOCKET_BUFFER = 7 << 20;
    /** Above this many bytes queued for the UDP socket (UdpSender), sends are dropped (and counted) instead of queued. */
    public static final int SEND_HIGH_WATER = 8 << 20;
    /** Packets kept per peer while a handshake is under way (wireguard-go's QueueStagedSize). */
    public static final int MAX_STAGED = 128;

    // ---- what one wakeup of the loop does before it serves its other handles ----

    /** TUN reads per wakeup. */
    public static final int TUN_BURST = 64;
    /**
     * Bytes read from the TUN per wakeup: 64 super-packets would be 4 MB, milliseconds of sealing
     * during which nothing else (a ping, the other direction) is served.
     */
    public static final int TUN_BURST_BYTES = 256 << 10;
    /** recvmsg calls on the UDP socket per wakeup. */
    public static final int UDP_BURST = 512;
    /** Bytes read from the UDP socket per wakeup (64 UDP GRO reads would be 4 MB: see TUN_BURST_BYTES). */
    public static final int UDP_BURST_BYTES = 256 << 10;

    // ---- memory ----

    /**
     * The heap budgeted for a peer, without its allowed IPs: its keys, handshake, timers, staged
     * packets' room and its entries in the tables. Measured 1,290 bytes of live heap (10,000 peers
     * by `wg setconf`, jcmd GC.class_histogram, beyond the idle device's 7.4 MB); the rest is room
     * for what a configuration change holds while it is applied.
     */
    public static final int PEER_HEAP_BYTES = 1792;
    /** The heap budgeted for an allowed IP: measured 156 bytes for an IPv4 /32 (its trie node, its place in its peer's list). */
    public static final int ALLOWED_IP_HEAP_BYTES = 256;
    /** The heap kept for everything but the peers: buffers, the UAPI's requests, the idle device's 6 MB. */
    public static final long HEAP_RESERVE = 32L << 20;

    // ---- time ----

    /**
     * The resolution of the peers' timers: the loop wakes at most this often for them, and a
     * deadline is met to within this (Timers' wheel has one slot per tick).
     */
    public static final long TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(20);
    /**
     * The slots of Timers' wheel: 41 s of ticks, so a deadline up to 41 s away (a handshake retry,
     * the keepalives, a new handshake, a 25 s persistent keepalive) is visited once, when due; one
     * further away (ZERO_KEYS_AFTER, long persistent keepalives) once every 41 s as well.
     */
    public static final int TIMER_WHEEL_SLOTS = 2048;
    /**
     * Handshake messages (and cookie replies) that may wait for the loop's handshake work:
     * wireguard-go's QueueHandshakeSize (the kernel's MAX_QUEUED_INCOMING_HANDSHAKES, 4096, is for
     * all cores). Beyond it they are dropped and counted; from an eighth of it the device is under
     * load (whitepaper 5.4.7): then a cookie is required and the per-source rate limit applies.
     */
    public static final int HANDSHAKE_QUEUE = 1024;
    /** Of them, from one source address at most: an eighth, as much as puts the device under load. */
    public static final int HANDSHAKE_QUEUE_PER_SOURCE = HANDSHAKE_QUEUE / 8;
    /**
     * The loop's handshake work after each burst of reads, at most: a responder handshake costs
     * about 0.3 ms here, a cookie reply a few microseconds, a message with a bad mac1 one.
     */
    public static final long HANDSHAKE_SLICE_NANOS = TimeUnit.MICROSECONDS.toNanos(100);
    /** Source addresses whose cookie replies are counted (at most 20 a second each): 16 of the handshake rate limiter's stripes' worth. */
    public static final int COOKIE_REPLY_SOURCES = 4096;
    /** After a slice that left messages waiting, the next one is due this much later, once the loop has read. */
    public static final long HANDSHAKE_YIELD_NANOS = TimeUnit.MICROSECONDS.toNanos(20);
    /** Drop counts are logged at most this often per reason. */
    public static final long DROP_REPORT_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);
    /** Attempts in a row to find the interface after it left a network namespace (it may be moving again). */
    public static final int LINK_FOLLOW_ATTEMPTS = 5;
}
