package jwg.datapath;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class HandshakeQueueTest {
    private static final long S = 1_000_000_000L;

    private static ByteBuffer message(int length, int fill) {
        byte[] b = new byte[length + 10];
        Arrays.fill(b, (byte) fill);
        return ByteBuffer.wrap(b, 5, length); // a datagram in the middle of a larger read buffer
    }

    @Test
    void keepsCopiesInOrderUpToItsCapacity() {
        HandshakeQueue q = new HandshakeQueue(4);
        InetSocketAddress from = new InetSocketAddress("192.0.2.1", 9);
        int[] lengths = {148, 92, 64, 148};
        for (int i = 0; i < 4; i++) assertTrue(q.offer(message(lengths[i], i), from));
        assertFalse(q.offer(message(92, 9), from), "full: the fifth is refused");
        for (int i = 0; i < 4; i++) {
            byte[] expected = new byte[lengths[i]];
            Arrays.fill(expected, (byte) i);
            assertArrayEquals(expected, q.message(), "an array of exactly the message's length");
            assertSame(from, q.sender());
            q.remove();
        }
        assertTrue(q.isEmpty());
        assertTrue(q.offer(message(92, 7), from), "room again, the ring wraps");
        assertEquals(1, q.clear());
        assertTrue(q.isEmpty());
    }

    @Test
    void theSourceBufferMayBeReusedAtOnce() {
        HandshakeQueue q = new HandshakeQueue(2);
        ByteBuffer read = message(148, 1);
        q.offer(read, new InetSocketAddress("192.0.2.1", 9));
        Arrays.fill(read.array(), (byte) 2); // the next datagram lands in the same buffer
        assertEquals(1, q.message()[0]);
    }

    @Test
    void underLoadFromAnEighthFullUntilASecondAfter() {
        HandshakeQueue q = new HandshakeQueue(64);
        InetSocketAddress from = new InetSocketAddress("192.0.2.1", 9);
        for (int i = 0; i < 7; i++) q.offer(message(148, 0), from);
        assertFalse(q.underLoad(0), "7 of 64 wait");
        q.offer(message(148, 0), from);
        assertTrue(q.underLoad(S), "8 of 64");
        q.clear();
        assertTrue(q.underLoad(S + S / 2), "drained, within a second of the last time");
        assertFalse(q.underLoad(2 * S), "a second later");
    }

    @Test
    void offeringAndWorkingAllocateNothing() {
        HandshakeQueue q = new HandshakeQueue(8);
        InetSocketAddress from = new InetSocketAddress("192.0.2.1", 9);
        ByteBuffer m = message(148, 3);
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long[] now = {0};
        Runnable work = () -> {
            q.offer(m, from);
            q.underLoad(++now[0]);
            q.remove();
        };
        for (int i = 0; i < 200_000; i++) work.run(); // compiled before it is measured
        long before = mx.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < 100_000; i++) work.run();
        assertEquals(0, mx.getCurrentThreadAllocatedBytes() - before);
    }

    /** Without a flood only the first slot is ever used, so the other slots' arrays are never made. */
    @Test
    void aQueueThatDrainsStartsAgainAtItsFirstSlot() {
        InetSocketAddress from = new InetSocketAddress("192.0.2.1", 9);
        ByteBuffer m = message(148, 3);
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        HandshakeQueue q = new HandshakeQueue(1024);
        long before = mx.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < 1000; i++) {
            assertTrue(q.offer(m, from));
            assertEquals(148, q.message().length);
            q.remove();
        }
        long allocated = mx.getCurrentThreadAllocatedBytes() - before;
        assertTrue(allocated < 4096, "one slot's arrays, not a thousand slots' (about 200 KB): " + allocated + " bytes");
    }

    /** A flood from one host holds its share and no more: another host's initiation still finds room. */
    @Test
    void oneSourceHoldsItsShareAndOthersStillFindRoom() {
        HandshakeQueue q = new HandshakeQueue(64, 8, 0x5eed);
        InetSocketAddress flooder = new InetSocketAddress("192.0.2.100", 1000);
        InetSocketAddress otherPort = new InetSocketAddress("192.0.2.100", 1001); // the same host: the same share
        ByteBuffer m = message(148, 1);
        for (int i = 0; i < 8; i++) assertTrue(q.offer(m, i % 2 == 0 ? flooder : otherPort));
        assertFalse(q.offer(m, flooder), "its share is waiting");
        assertFalse(q.offer(m, otherPort));
        assertFalse(q.isFull(), "refused for its share, not for want of room");
        InetSocketAddress peer = new InetSocketAddress("198.51.100.7", 51820);
        assertTrue(q.offer(m, peer), "a real peer finds room");
        q.remove();
        assertTrue(q.offer(m, flooder), "one of its messages worked: room for one more");
        assertFalse(q.offer(m, flooder));
    }
}
