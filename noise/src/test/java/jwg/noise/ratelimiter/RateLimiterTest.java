package jwg.noise.ratelimiter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RateLimiterTest {
    private static final long T0 = 123_456_789_000L;
    private static final long COST = 1_000_000_000L / 20;
    private static final long IDLE = RateLimiter.IDLE_TIMEOUT.toNanos();

    private final RateLimiter limiter = new RateLimiter(0x5eed_1234_abcdL);

    private static byte[] v4(int a, int b, int c, int d) {
        return new byte[] {(byte) a, (byte) b, (byte) c, (byte) d};
    }

    private static byte[] v6(int... groups) {
        byte[] out = new byte[16];
        for (int i = 0; i < 8; i++) {
            out[2 * i] = (byte) (groups[i] >>> 8);
            out[2 * i + 1] = (byte) groups[i];
        }
        return out;
    }

    private int allowedOf(byte[] source, int packets, long now) {
        int allowed = 0;
        for (int i = 0; i < packets; i++) {
            allowed += limiter.allow(source, now) ? 1 : 0;
        }
        return allowed;
    }

    @Test
    void burstOfFiveThenRefused() {
        byte[] source = v4(192, 0, 2, 1);
        for (int i = 0; i < 5; i++) {
            assertTrue(limiter.allow(source, T0), "packet " + i);
        }
        assertFalse(limiter.allow(source, T0));
        assertFalse(limiter.allow(source, T0 + COST - 1), "not yet one packet's worth of refill");
        assertTrue(limiter.allow(source, T0 + COST));
    }

    /** The kernel's selftest/ratelimiter.c timings, for one IPv4 and one IPv6 source side by side. */
    @Test
    void kernelSelftestTimings() {
        boolean[] expected = {true, true, true, true, true, false, true, false, true, true, false};
        long[] sleepBefore = {0, 0, 0, 0, 0, 0, COST, 0, 2 * COST, 0, 0};
        long now = T0;
        for (int i = 0; i < expected.length; i++) {
            now += sleepBefore[i];
            assertEquals(expected[i], limiter.allowIpv4(0x0000_1ff6, now), "IPv4 step " + i);
            assertTrue(limiter.allowIpv4(0x0000_1ff6 + i + 1, now), "a fresh IPv4 neighbour");
            // The kernel changes the low 64 bits each step and expects the same /64 bucket.
            byte[] source = v6(0, 1212, 4, 0x69a4, 0, i, 0, i);
            assertEquals(expected[i], limiter.allow(source, now), "IPv6 step " + i);
            assertTrue(limiter.allow(v6(0, 1212 + i + 1, 4, 0x69a4, 0, i, 0, i), now), "another /64");
        }
    }

    @Test
    void sustainedRateIsTwentyPerSecond() {
        byte[] source = v4(198, 51, 100, 7);
        int allowed = 0;
        for (long t = 0; t <= 10_000; t += 10) { // 100 packets a second for 10 s
            allowed += limiter.allow(source, T0 + t * 1_000_000L) ? 1 : 0;
        }
        assertEquals(5 + 10 * 20, allowed, "the burst plus 20 a second");
    }

    @Test
    void refillIsCappedAtTheBurst() {
        byte[] source = v4(198, 51, 100, 8);
        assertEquals(5, allowedOf(source, 50, T0));
        assertEquals(5, allowedOf(source, 50, T0 + 60_000_000_000L), "a minute idle buys only the burst");
    }

    @Test
    void oneBusySourceDoesNotStarveAnother() {
        byte[] busy = v4(203, 0, 113, 1);
        byte[] quiet = v4(203, 0, 113, 2);
        int busyAllowed = 0;
        for (long t = 0; t < 2_000; t++) { // 1000 initiations a second from one source for 2 s
            busyAllowed += limiter.allow(busy, T0 + t * 1_000_000L) ? 1 : 0;
        }
        assertEquals((250 + 1_999) / 50, busyAllowed, "the burst plus 20 a second, no more");
        long now = T0 + 1_999_000_000L;
        assertFalse(limiter.allow(busy, now));
        assertEquals(5, allowedOf(quiet, 10, now), "the other source has its own whole burst");
    }

    @Test
    void ipv6IsLimitedPerSlash64() {
        byte[] a = v6(0x2001, 0xdb8, 1, 2, 0, 0, 0, 1);
        byte[] sameSlash64 = v6(0x2001, 0xdb8, 1, 2, 0xffff, 0x1234, 0x5678, 0x9abc);
        byte[] otherSlash64 = v6(0x2001, 0xdb8, 1, 3, 0, 0, 0, 1);
        assertEquals(3, allowedOf(a, 3, T0));
        assertEquals(2, allowedOf(sameSlash64, 5, T0), "shares the bucket of its /64");
        assertEquals(5, allowedOf(otherSlash64, 10, T0));
        assertFalse(limiter.allowIpv6(0x2001_0db8_0001_0002L, T0), "the long form is the same key");
    }

    @Test
    void ipv4MappedAddressesCountAsIpv4() {
        byte[] mapped = v6(0, 0, 0, 0, 0, 0xffff, 0xc000, 0x0201); // ::ffff:192.0.2.1
        byte[] otherMapped = v6(0, 0, 0, 0, 0, 0xffff, 0xc000, 0x0202); // ::ffff:192.0.2.2
        assertEquals(3, allowedOf(mapped, 3, T0));
        assertEquals(2, allowedOf(v4(192, 0, 2, 1), 5, T0), "same source as the mapped form");
        assertEquals(5, allowedOf(otherMapped, 10, T0), "not one bucket for all of IPv4");
    }

    @Test
    void familiesAreSeparate() {
        assertEquals(5, allowedOf(v4(0, 0, 0, 1), 10, T0));
        // 0.0.0.1 and ::1 have equal numeric keys (1 and 0 for the /64) but are different tables.
        assertTrue(limiter.allowIpv6(1L, T0));
    }

    @Test
    void tableIsBoundedAndRefusesNewSourcesWhenFull() {
        RateLimiter small = new RateLimiter(64, 42);
        int admitted = 0;
        int firstAdmitted = -1;
        for (int ip = 1; ip <= 10_000; ip++) {
            if (small.allowIpv4(ip, T0)) {
                admitted++;
                firstAdmitted = firstAdmitted < 0 ? ip : firstAdmitted;
            }
        }
        assertEquals(64, admitted, "never more sources than the cap");
        assertTrue(small.allowIpv4(firstAdmitted, T0), "a tracked source keeps its bucket");
        assertFalse(small.allowIpv4(20_000, T0 + IDLE), "idle exactly 1 s is not yet expired");
        long later = T0 + IDLE + Stripe.SWEEP_INTERVAL_NANOS;
        assertTrue(small.allowIpv4(20_000, later), "expired entries make room again");
        int afterExpiry = 0;
        for (int ip = 30_000; ip < 40_000; ip++) {
            afterExpiry += small.allowIpv4(ip, later) ? 1 : 0;
        }
        assertEquals(63, afterExpiry, "the cap again, less the slot of the one admitted above");
    }

    @Test
    void aStripeGrowsWithItsSourcesUpToItsCapacityAndKeepsEachOnesBucket() {
        Stripe stripe = new Stripe(1000);
        assertEquals(Stripe.INITIAL_SLOTS, stripe.allocatedSlots(), "an idle stripe holds a few slots, not its ceiling");
        for (long key = 1; key <= 1000; key++) {
            assertTrue(stripe.allow(key, Long.hashCode(key * 0x9e3779b97f4a7c15L), T0), "source " + key);
        }
        assertEquals(1000, stripe.allocatedSlots(), "grown to the capacity, not beyond");
        assertFalse(stripe.allow(1001, 7, T0), "full");
        for (long key = 1; key <= 1000; key++) { // each still has its own bucket: four more of its burst of five
            int allowed = 0;
            for (int i = 0; i < 5; i++) allowed += stripe.allow(key, Long.hashCode(key * 0x9e3779b97f4a7c15L), T0) ? 1 : 0;
            assertEquals(4, allowed, "source " + key);
        }
        long later = T0 + IDLE + Stripe.SWEEP_INTERVAL_NANOS + 1;
        assertTrue(stripe.allow(1001, 7, later), "expired sources make room");
        assertEquals(1000, stripe.allocatedSlots());
    }

    @Test
    void clockReadingsSlightlyOutOfOrderAddNoCredit() {
        int source = 0x0a00_0001;
        assertEquals(5, countIpv4(source, 5, T0));
        assertFalse(limiter.allowIpv4(source, T0 - 1_000_000));
        assertFalse(limiter.allowIpv4(source, T0));
    }

    private int countIpv4(int source, int packets, long now) {
        int allowed = 0;
        for (int i = 0; i < packets; i++) {
            allowed += limiter.allowIpv4(source, now) ? 1 : 0;
        }
        return allowed;
    }

    @Test
    void concurrentCallersShareOneBucket() throws InterruptedException {
        int threads = 4;
        AtomicInteger allowed = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        Thread[] workers = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            workers[t] = Thread.ofPlatform().start(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < 10_000; i++) {
                    if (limiter.allowIpv4(0x0a00_0002, T0)) {
                        allowed.incrementAndGet();
                    }
                }
            });
        }
        start.countDown();
        for (Thread worker : workers) {
            worker.join();
        }
        assertEquals(5, allowed.get());
    }

    @Test
    void allowAllocatesNothing() {
        byte[] v6 = v6(0x2001, 0xdb8, 0, 0, 0, 0, 0, 1);
        Runnable traffic = () -> {
            for (int i = 0; i < 100_000; i++) {
                long now = T0 + i * 1_000L;
                limiter.allowIpv4(i & 1023, now);
                v6[7] = (byte) i;
                limiter.allow(v6, now);
            }
        };
        traffic.run(); // warm up
        var threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        traffic.run();
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertTrue(allocated < 4096, "allocated " + allocated + " bytes for 200000 calls");
    }

    @Test
    void rejectsMalformedArguments() {
        assertThrows(IllegalArgumentException.class, () -> limiter.allow(new byte[5], T0));
        assertThrows(IllegalArgumentException.class, () -> new RateLimiter(100, 1));
        assertThrows(IllegalArgumentException.class, () -> new RateLimiter(0, 1));
    }
}
