package jwg.datapath;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jwg.testing.Packets;
import org.junit.jupiter.api.Test;

/** The datapath in memory: two devices back to back (see {@link BackToBack}), no root, no waiting. */
class BackToBackTest {
    @Test
    void firstPacketIsStagedThroughTheHandshakeThenDeliveredBothWays() throws Exception {
        try (BackToBack w = new BackToBack()) {
            byte[] ping = Packets.icmpEcho(w.a.ip, w.b.ip, 1, 1, new byte[56]);
            w.a.send(ping);
            assertEquals(1, w.net.queued(), "no session yet: the packet waits, an initiation goes out");
            // initiation -> b; response -> a; a confirms the session with the staged packet -> b
            assertEquals(3, w.pump());
            assertEquals(1, w.b.delivered.size());
            assertArrayEquals(ping, w.b.delivered.getFirst());

            byte[] reply = Packets.icmpEcho(w.b.ip, w.a.ip, 1, 1, new byte[56]);
            w.b.send(reply);
            assertEquals(1, w.pump(), "b's session is confirmed: the reply goes at once");
            assertArrayEquals(reply, w.a.delivered.getFirst());

            PeerState ab = w.a.peer();
            PeerState ba = w.b.peer();
            assertNotEquals(0, ab.lastHandshakeEpochNanos());
            assertNotEquals(0, ba.lastHandshakeEpochNanos());
            assertEquals(ab.txBytes(), ba.rxBytes());
            assertEquals(ba.txBytes(), ab.rxBytes());
            assertEquals(w.b.address(), ab.endpoint().orElseThrow());
            assertTrue(ab.txBytes() > 148 + 32 + 84, "the initiation, and the packet sealed");
        }
    }
}
