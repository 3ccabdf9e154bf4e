package jwg.noise.ratelimiter;

import java.time.Duration;

/**
 * Token bucket per source address for handshake messages (whitepaper 5.3, "Denial of Service
 * Mitigation"; the constants and the algorithm are those of the kernel's ratelimiter.c): 20 packets a
 * second with a burst of 5, one bucket per IPv4 address and one per IPv6 /64 (the kernel keys IPv6
 * on the top 64 bits so that one host cannot escape the limit by cycling its interface identifier;
 * wireguard-go keys on the whole /128). IPv4-mapped IPv6 addresses count as IPv4, so a dual-stack
 * socket does not put every IPv4 source into one bucket.
 *
 * <p>Memory is bounded and allocated up front: each family tracks at most {@code maxSources}
 * sources (default {@link #DEFAULT_MAX_SOURCES_PER_FAMILY}); a source idle for more than
 * {@link #IDLE_TIMEOUT} is forgotten, and while a table is full a new source is refused, as the
 * kernel does. Forgotten entries are reclaimed lazily when a table fills up (a full stripe is swept
 * at most ten times a second), so no periodic task is needed. A source that
 * was forgotten starts with a full bucket, which is what an idle entry would have refilled to.
 *
 * <p>Thread-safe: the table is split into {@value #STRIPES} independently locked stripes chosen by
 * a keyed hash of the source (the key comes from the caller's random seed so that a remote party
 * cannot aim at one stripe). A device calls it from its event loop only, and only under load; the
 * locks stay because a limit per source must hold for the whole device, so a device with several
 * loops (crypto across cores) would share this one limiter, and an uncontended monitor costs
 * nothing next to the handshake it guards. {@code allow} allocates nothing.
 */
public final class RateLimiter {
    /** Whitepaper 5.3 / kernel ratelimiter.c: sustained rate per source. */
    public static final int PACKETS_PER_SECOND = 20;
    /** Kernel ratelimiter.c: packets a fresh or idle source may send at once. */
    public static final int PACKETS_BURSTABLE = 5;
    /** Kernel ratelimiter.c garbage collection: entries idle longer than this are dropped. */
    public static final Duration IDLE_TIMEOUT = Duration.ofSeconds(1);
    /**
     * The kernel allows 8 * 8192 = 65536 entries in all (on machines with more than 1 GiB of RAM);
     * we split that evenly between the families so that a flood of cheap IPv6 /64s cannot lock out
     * new IPv4 sources, nor the reverse.
     */
    public static final int DEFAULT_MAX_SOURCES_PER_FAMILY = 32768;

    static final long PACKET_COST_NANOS = 1_000_000_000L / PACKETS_PER_SECOND;
    static final long TOKEN_MAX_NANOS = PACKET_COST_NANOS * PACKETS_BURSTABLE;
    static final long IDLE_TIMEOUT_NANOS = IDLE_TIMEOUT.toNanos();
    private static final int STRIPE_BITS = 5;
    static final int STRIPES = 1 << STRIPE_BITS;

    private static final long IPV4_MAPPED_PREFIX = 0x0000_0000_0000_0000L;
    private static final int IPV4_MAPPED_MARKER = 0x0000_ffff;

    private final Stripe[] ipv4 = new Stripe[STRIPES];
    private final Stripe[] ipv6 = new Stripe[STRIPES];
    private final long hashKey4;
    private final long hashKey6;

    /** A limiter with the default capacity; {@code hashSeed} must be secret and random. */
    public RateLimiter(long hashSeed) {
        this(DEFAULT_MAX_SOURCES_PER_FAMILY, hashSeed);
    }

    /**
     * A limiter tracking at most {@code maxSourcesPerFamily} sources per family (a multiple of
     * {@value #STRIPES}, the cap is enforced per stripe); {@code hashSeed} must be secret and random.
     */
    public RateLimiter(int maxSourcesPerFamily, long hashSeed) {
        if (maxSourcesPerFamily < STRIPES || maxSourcesPerFamily % STRIPES != 0) {
            throw new IllegalArgumentException("maxSourcesPerFamily must be a positive multiple of "
                    + STRIPES + ": " + maxSourcesPerFamily);
        }
        int perStripe = maxSourcesPerFamily / STRIPES;
        for (int i = 0; i < STRIPES; i++) {
            ipv4[i] = new Stripe(perStripe);
            ipv6[i] = new Stripe(perStripe);
        }
        hashKey4 = mix(hashSeed);
        hashKey6 = mix(hashSeed ^ 0x6a09e667f3bcc908L);
    }

    /**
     * Whether a handshake message from this source address (4 or 16 bytes, network order) may be
     * processed now. Consumes one token when it returns true.
     */
    public boolean allow(byte[] address, long nowNanos) {
        if (address.length == 4) {
            return allowIpv4(readInt(address, 0), nowNanos);
        }
        if (address.length != 16) {
            throw new IllegalArgumentException("address must be 4 or 16 bytes: " + address.length);
        }
        long prefix = readLong(address, 0);
        if (prefix == IPV4_MAPPED_PREFIX && readInt(address, 8) == IPV4_MAPPED_MARKER) {
            return allowIpv4(readInt(address, 12), nowNanos);
        }
        return allowIpv6(prefix, nowNanos);
    }

    /** {@link #allow} for an IPv4 address given as an int in network order (a.b.c.d is 0xaabbccdd). */
    public boolean allowIpv4(int address, long nowNanos) {
        long key = address & 0xffff_ffffL;
        return allow(ipv4, hashKey4, key, nowNanos);
    }

    /** {@link #allow} for an IPv6 source given by its top 64 bits (its /64), network order. */
    public boolean allowIpv6(long prefix64, long nowNanos) {
        return allow(ipv6, hashKey6, prefix64, nowNanos);
    }

    private static boolean allow(Stripe[] table, long hashKey, long key, long nowNanos) {
        long hash = mix(key ^ hashKey);
        // The top bits choose the stripe, the low bits the bucket within it.
        return table[(int) (hash >>> (Long.SIZE - STRIPE_BITS))].allow(key, (int) hash, nowNanos);
    }

    /** A bijective 64-bit finalizer (MurmurHash3 fmix64); keyed by xoring a secret into its input. */
    private static long mix(long x) {
        x ^= x >>> 33;
        x *= 0xff51afd7ed558ccdL;
        x ^= x >>> 33;
        x *= 0xc4ceb9fe1a85ec53L;
        x ^= x >>> 33;
        return x;
    }

    private static int readInt(byte[] b, int offset) {
        return (b[offset] & 0xff) << 24 | (b[offset + 1] & 0xff) << 16
                | (b[offset + 2] & 0xff) << 8 | (b[offset + 3] & 0xff);
    }

    private static long readLong(byte[] b, int offset) {
        return (readInt(b, offset) & 0xffff_ffffL) << 32 | (readInt(b, offset + 4) & 0xffff_ffffL);
    }
}
