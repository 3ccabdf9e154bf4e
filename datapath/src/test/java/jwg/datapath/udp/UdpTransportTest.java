package jwg.datapath.udp;

import static org.junit.jupiter.api.Assertions.*;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.IoEventLoop;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The socket on loopback: what arrives, in which pieces, from whom; sends with and without GSO. */
class UdpTransportTest {
    /** One datagram as the receiver saw it; burst counts the readComplete calls before it. */
    record Received(byte[] bytes, InetSocketAddress sender, int burst) {}

    private MultiThreadIoEventLoopGroup group;
    private IoEventLoop loop;
    private final List<UdpTransport> transports = new ArrayList<>();

    @BeforeEach
    void start() {
        group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        loop = (IoEventLoop) group.next();
    }

    @AfterEach
    void stop() throws Exception {
        for (UdpTransport t : transports) t.close();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }

    private final class Recorder implements UdpTransport.Receiver {
        final LinkedBlockingQueue<Received> datagrams = new LinkedBlockingQueue<>();
        int bursts;

        @Override public void datagram(ByteBuf buf, ByteBuffer nio, int offset, int length, InetSocketAddress sender) {
            assertTrue(loop.inEventLoop());
            byte[] b = new byte[length];
            buf.getBytes(offset, b);
            byte[] viaNio = new byte[length];
            nio.get(offset, viaNio);
            assertArrayEquals(b, viaNio, "the NIO view shows the same bytes at the same indices");
            datagrams.add(new Received(b, sender, bursts));
        }

        @Override public void readComplete() { bursts++; }

        @Override public void sendFailed(Throwable cause) { fail(cause); }

        Received next() throws InterruptedException {
            Received r = datagrams.poll(5, TimeUnit.SECONDS);
            assertNotNull(r, "no datagram within 5 s");
            return r;
        }
    }

    private UdpTransport bind(Recorder r, boolean gso, boolean gro) throws Exception {
        UdpTransport t = UdpTransport.bind(loop, 0, new UdpTransport.Options(gso, gro), r, fd -> {}).get(5, TimeUnit.SECONDS);
        transports.add(t);
        return t;
    }

    private static byte[] pattern(int length, int seed) {
        byte[] b = new byte[length];
        for (int i = 0; i < length; i++) b[i] = (byte) (seed * 31 + i * 7);
        return b;
    }

    /** Eleven datagrams (ten of 1000 bytes, one of 500) in one buffer, sent as one GSO send or one by one. */
    private static ByteBuf segments() {
        ByteBuf b = Unpooled.directBuffer(10_500);
        for (int i = 0; i < 10; i++) b.writeBytes(pattern(1000, i));
        b.writeBytes(pattern(500, 10));
        return b;
    }

    private void sendOnLoop(UdpTransport from, ByteBuf content, InetSocketAddress to) throws Exception {
        loop.submit(() -> {
            assertTrue(from.sendSegments(content, 1000, to));
            from.flush();
        }).get(5, TimeUnit.SECONDS);
    }

    @Test
    void aGsoSendArrivesAsOneGroReadSplitAtItsSegments() throws Exception {
        Recorder a = new Recorder(), b = new Recorder();
        UdpTransport ta = bind(a, true, true);
        UdpTransport tb = bind(b, true, true);
        assertTrue(ta.gso() && tb.gro(), "this kernel offers UDP GSO and GRO");
        InetSocketAddress toB = new InetSocketAddress(InetAddress.getLoopbackAddress(), tb.port());
        sendOnLoop(ta, segments(), toB);
        Received first = b.next();
        for (int i = 0; i < 11; i++) {
            Received r = i == 0 ? first : b.next();
            assertArrayEquals(pattern(i < 10 ? 1000 : 500, i), r.bytes(), "datagram " + i);
            assertEquals(new InetSocketAddress(InetAddress.getLoopbackAddress(), ta.port()), r.sender());
            assertSame(first.sender(), r.sender(), "one sender, one address object");
            assertEquals(first.burst(), r.burst(), "all eleven came out of one read (UDP GRO)");
        }
    }

    @Test
    void withoutGsoOrGroEveryDatagramIsItsOwn() throws Exception {
        Recorder a = new Recorder(), b = new Recorder();
        UdpTransport ta = bind(a, false, true);
        UdpTransport tb = bind(b, true, false);
        assertFalse(ta.gso());
        assertFalse(tb.gro());
        sendOnLoop(ta, segments(), new InetSocketAddress(InetAddress.getLoopbackAddress(), tb.port()));
        for (int i = 0; i < 11; i++) assertArrayEquals(pattern(i < 10 ? 1000 : 500, i), b.next().bytes(), "datagram " + i);
    }

    /** Senders over IPv4 (seen as Inet4Address, not ::ffff:) and IPv6; an address object is reused only for the same sender. */
    @Test
    void sendersAreSeenAsTheyAreAndChangesAreNoticed() throws Exception {
        Recorder r = new Recorder();
        UdpTransport t = bind(r, true, true);
        try (DatagramChannel v4 = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
             DatagramChannel v6 = DatagramChannel.open().bind(new InetSocketAddress("::1", 0))) {
            InetSocketAddress to4 = new InetSocketAddress("127.0.0.1", t.port());
            InetSocketAddress to6 = new InetSocketAddress("::1", t.port());
            v4.send(ByteBuffer.wrap(pattern(100, 1)), to4);
            v4.send(ByteBuffer.wrap(new byte[0]), to4);
            v6.send(ByteBuffer.wrap(pattern(1200, 2)), to6);
            v4.send(ByteBuffer.wrap(pattern(3, 3)), to4);
            Received first = r.next(), empty = r.next(), six = r.next(), again = r.next();
            assertArrayEquals(pattern(100, 1), first.bytes());
            assertEquals(v4.getLocalAddress(), first.sender());
            assertInstanceOf(java.net.Inet4Address.class, first.sender().getAddress());
            assertEquals(0, empty.bytes().length, "an empty datagram is a datagram");
            assertSame(first.sender(), empty.sender());
            assertArrayEquals(pattern(1200, 2), six.bytes());
            assertEquals(v6.getLocalAddress(), six.sender());
            assertArrayEquals(pattern(3, 3), again.bytes());
            assertEquals(v4.getLocalAddress(), again.sender(), "back to the first sender after another");
        }
    }

    /** The largest IPv4 datagram arrives whole: the receive buffer is never the limit. */
    @Test
    void theLargestDatagramArrivesWhole() throws Exception {
        Recorder r = new Recorder();
        UdpTransport t = bind(r, true, true);
        try (DatagramChannel v4 = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0))) {
            v4.send(ByteBuffer.wrap(pattern(65507, 9)), new InetSocketAddress("127.0.0.1", t.port()));
            assertArrayEquals(pattern(65507, 9), r.next().bytes());
        }
    }
}
