package jwg.noise;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

class TransportTest {
    @Test
    void padsToSixteenWithinTheMtu() {
        assertEquals(0, Transport.paddingLength(0, 1420), "keepalive is not padded");
        assertEquals(15, Transport.paddingLength(1, 1420));
        assertEquals(0, Transport.paddingLength(16, 1420));
        assertEquals(15, Transport.paddingLength(17, 1420));
        assertEquals(12, Transport.paddingLength(84, 1420));
        assertEquals(1408, Transport.paddedLength(1401, 1420));
        assertEquals(1420, Transport.paddedLength(1409, 1420), "1424 would exceed the MTU: pad only to 1420");
        assertEquals(1420, Transport.paddedLength(1420, 1420));
        assertEquals(1412, Transport.paddedLength(1412, 1412), "MTU not a multiple of 16");
        assertEquals(1412, Transport.paddedLength(1410, 1412));
    }

    @Test
    void matchesTheKernelForPacketsBeyondTheMtuAndUnknownMtu() {
        // calculate_skb_padding: a GSO packet longer than the MTU is padded by its last unit.
        assertEquals(6, Transport.paddingLength(1430, 1420)); // last unit 10 -> 16
        assertEquals(0, Transport.paddingLength(2840, 1420)); // last unit 0
        assertEquals(3, Transport.paddingLength(13, 0));       // MTU unknown: plain round-up
        for (int mtu = 1280; mtu <= 1500; mtu += 7) {
            for (int len = 0; len <= mtu; len++) {
                int padded = Transport.paddedLength(len, mtu);
                assertTrue(padded >= len && padded <= Math.max(len, mtu), len + "/" + mtu);
                assertTrue(padded % 16 == 0 || padded == mtu, len + "/" + mtu);
                assertTrue(padded - len < 16);
            }
        }
    }

    @Test
    void messageLengthAddsHeaderAndTag() {
        assertEquals(32, Transport.messageLength(0, 1420));
        assertEquals(16 + 16 + 16, Transport.messageLength(5, 1420));
    }
}
