package jwg.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class Tai64nTest {
    /** 2020-01-01T00:00:00Z is Unix 1577836800 = 0x5e0be100; label 2^62 + 10 + that. */
    @Test
    void encodesAKnownInstant() {
        assertArrayEquals(Hex.bytes("400000005e0be10a 00000000"), Tai64n.of(Instant.parse("2020-01-01T00:00:00Z")));
        // 0.5 s = 0x1dcd6500 ns, rounded down to a multiple of 2^24: 0x1d000000.
        assertArrayEquals(Hex.bytes("400000005e0be10a 1d000000"), Tai64n.of(Instant.parse("2020-01-01T00:00:00.5Z")));
        assertArrayEquals(Hex.bytes("400000000000000a 00000000"), Tai64n.of(Instant.EPOCH));
        assertEquals(Tai64n.LEN, Tai64n.of(Instant.now()).length);
    }

    /** wireguard-go tai64n_test.go (TestMonotonic): whitening hides steps under ~16.7 ms, not 20 ms. */
    @Test
    void whiteningAsWireguardGo() {
        Instant start = Instant.ofEpochSecond(0, 123456789);
        assertArrayEquals(Hex.bytes("400000000000000a 07000000"), Tai64n.of(start));
        for (Duration step : new Duration[] {Duration.ofNanos(10), Duration.ofNanos(10_000), Duration.ofMillis(1), Duration.ofMillis(10)}) {
            assertFalse(Tai64n.isAfter(Tai64n.of(start.plus(step)), Tai64n.of(start)), step.toString());
        }
        assertTrue(Tai64n.isAfter(Tai64n.of(start.plus(Duration.ofMillis(20))), Tai64n.of(start)));
    }

    @Test
    void isAfterIsStrictAndUnsigned() {
        byte[] a = Hex.bytes("400000005e0be10a 7f000000");
        byte[] b = Hex.bytes("400000005e0be10a 80000000"); // negative as a signed byte
        assertTrue(Tai64n.isAfter(b, a));
        assertFalse(Tai64n.isAfter(a, b));
        assertFalse(Tai64n.isAfter(a, a.clone()));
        byte[] laterSecond = Hex.bytes("400000005e0be10b 00000000");
        assertTrue(Tai64n.isAfter(laterSecond, b));
        assertTrue(Tai64n.isAfter(Hex.bytes("c00000000000000a 00000000"), laterSecond));
    }

    @Test
    void successiveTimestampsNeverGoBack() throws InterruptedException {
        byte[] previous = Tai64n.of(Instant.now());
        for (int i = 0; i < 100; i++) {
            Thread.sleep(0, 200_000);
            byte[] next = Tai64n.of(Instant.now());
            assertFalse(Tai64n.isAfter(previous, next));
            previous = next;
        }
        Thread.sleep(20);
        assertTrue(Tai64n.isAfter(Tai64n.of(Instant.now()), previous));
    }
}
