package jwg.datapath.udp;

import static org.junit.jupiter.api.Assertions.*;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.IoEventLoop;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import jwg.sys.Libc;
import jwg.sys.LibcConstants;
import jwg.testing.NetNs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The source address of what the transport sends, in a namespace of its own whose veth
 * holds several addresses of each family: a remote is answered from the address it wrote to
 * (IP(V6)_PKTINFO), with GSO too, and from the route's choice once that address is gone. Also the
 * send queue's wait for room when the socket buffer is full (EAGAIN, then EPOLLOUT).
 */
class UdpTransportSourceTest {
    private NetNs ns;
    private MultiThreadIoEventLoopGroup group;
    private IoEventLoop loop;
    private UdpTransport transport;
    private final LinkedBlockingQueue<InetSocketAddress> senders = new LinkedBlockingQueue<>();
    /** Datagrams received while only counting (no sender recorded: nothing allocated by the receiver). */
    private final AtomicInteger counted = new AtomicInteger();
    private volatile boolean countOnly;
    private final List<Throwable> failures = new CopyOnWriteArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        ns = NetNs.create();
        ns.ip("link", "add", "v0", "type", "veth", "peer", "name", "v1");
        for (String a : List.of("10.1.0.1/24", "10.1.0.2/24", "10.1.0.3/24")) ns.ip("addr", "add", a, "dev", "v0");
        for (String a : List.of("fd01::1/64", "fd01::2/64", "fd01::3/64")) ns.ip("addr", "add", a, "dev", "v0", "nodad");
        ns.ip("link", "set", "v0", "up");
        ns.ip("link", "set", "v1", "up");
        ns.ip("link", "set", "lo", "up");
        // the loop's thread is started from the namespace's thread, so it (and the socket it makes) is in the namespace
        group = ns.call(() -> {
            MultiThreadIoEventLoopGroup g = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
            g.next().submit(() -> {}).get();
            return g;
        });
        loop = (IoEventLoop) group.next();
        UdpTransport.Receiver receiver = new UdpTransport.Receiver() {
            @Override public void datagram(ByteBuf buf, ByteBuffer nio, int offset, int length, InetSocketAddress sender) {
                if (countOnly) counted.incrementAndGet();
                else senders.add(sender);
            }

            @Override public void readComplete() {}

            @Override public void sendFailed(Throwable cause) {
                failures.add(cause);
            }
        };
        transport = UdpTransport.bind(loop, 0, new UdpTransport.Options(true, true), receiver, fd -> {}).get(5, TimeUnit.SECONDS);
        assertTrue(transport.stickySources(), "the kernel takes IPV6_RECVPKTINFO");
    }

    @AfterEach
    void tearDown() throws Exception {
        if (transport != null) loop.submit(transport::close).get(5, TimeUnit.SECONDS);
        if (group != null) group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        if (ns != null) ns.close();
        assertEquals(List.of(), failures, "no send failed");
    }

    private DatagramChannel peer(String address) throws Exception {
        DatagramChannel c = ns.call(() -> DatagramChannel.open().bind(new InetSocketAddress(address, 0)));
        c.socket().setSoTimeout(5000);
        return c;
    }

    /** peer writes to our address; returns the sender as the transport saw it. */
    private InetSocketAddress writeTo(DatagramChannel peer, String ourAddress) throws Exception {
        peer.send(ByteBuffer.wrap(new byte[] {1}), new InetSocketAddress(ourAddress, transport.port()));
        InetSocketAddress from = senders.poll(5, TimeUnit.SECONDS);
        assertEquals(peer.getLocalAddress(), from);
        return from;
    }

    /** Where the datagram(s) the peer receives next come from. */
    private static SocketAddress answerSource(DatagramChannel peer) throws Exception {
        ByteBuffer b = ByteBuffer.allocate(2000);
        peer.configureBlocking(false);
        for (int i = 0; i < 500; i++) {
            SocketAddress from = peer.receive(b);
            if (from != null) return from;
            Thread.sleep(10);
        }
        throw new AssertionError("no answer within 5 s");
    }

    private void answer(InetSocketAddress to) throws Exception {
        loop.submit(() -> {
            assertTrue(transport.send(Unpooled.directBuffer(3).writeBytes(new byte[] {2, 3, 4}), to));
            transport.flush();
        }).get(5, TimeUnit.SECONDS);
    }

    @Test
    void eachRemoteIsAnsweredFromTheAddressItWroteToInBothFamilies() throws Exception {
        try (DatagramChannel v4 = peer("10.1.0.3"); DatagramChannel v6 = peer("fd01::3")) {
            // without the sticky source the answer would come from 10.1.0.3 / fd01::3 (the route's choice for a local address)
            for (String ours : List.of("10.1.0.2", "10.1.0.1", "10.1.0.2")) {
                answer(writeTo(v4, ours));
                assertEquals(new InetSocketAddress(ours, transport.port()), answerSource(v4), "answered from the address written to");
            }
            for (String ours : List.of("fd01::2", "fd01::1", "fd01::2")) {
                answer(writeTo(v6, ours));
                assertEquals(new InetSocketAddress(ours, transport.port()), answerSource(v6), "answered from the address written to");
            }
        }
    }

    @Test
    void aGsoSendGoesFromTheStickySourceToo() throws Exception {
        try (DatagramChannel v4 = peer("10.1.0.3")) {
            InetSocketAddress to = writeTo(v4, "10.1.0.2");
            loop.submit(() -> {
                ByteBuf b = Unpooled.directBuffer(10 * 500);
                b.writeZero(10 * 500 - 77);
                assertTrue(transport.sendSegments(b, 500, to));
                assertEquals(1, transport.waiting(), "one UDP GSO send");
                transport.flush();
            }).get(5, TimeUnit.SECONDS);
            for (int i = 0; i < 10; i++) {
                assertEquals(new InetSocketAddress("10.1.0.2", transport.port()), answerSource(v4), "datagram " + i);
            }
        }
    }

    @Test
    void onceTheAddressIsGoneTheRouteChoosesTheSourceAgain() throws Exception {
        try (DatagramChannel v4 = peer("10.1.0.3"); DatagramChannel v6 = peer("fd01::3")) {
            InetSocketAddress to4 = writeTo(v4, "10.1.0.2");
            InetSocketAddress to6 = writeTo(v6, "fd01::2");
            answer(to4);
            answer(to6);
            assertEquals(new InetSocketAddress("10.1.0.2", transport.port()), answerSource(v4), "sticky while the address is there");
            assertEquals(new InetSocketAddress("fd01::2", transport.port()), answerSource(v6), "sticky while the address is there");
            ns.ip("addr", "del", "10.1.0.2/24", "dev", "v0");
            ns.ip("addr", "del", "fd01::2/64", "dev", "v0");
            answer(to4);
            answer(to6);
            assertNotEquals(new InetSocketAddress("10.1.0.2", transport.port()), answerSource(v4));
            assertNotEquals(new InetSocketAddress("fd01::2", transport.port()), answerSource(v6));
            answer(to4); // the address stays forgotten: no second failed attempt
            answerSource(v4);
        }
    }

    /** On an IPv4-only socket (a host without IPv6) the source goes as IP_PKTINFO's ipi_spec_dst. */
    @Test
    void anIpv4OnlySocketAnswersFromTheAddressWrittenToToo() throws Exception {
        int port = 40123;
        int fd = ns.call(() -> Libc.socket(LibcConstants.AF_INET, LibcConstants.SOCK_DGRAM | LibcConstants.SOCK_NONBLOCK | LibcConstants.SOCK_CLOEXEC, 0));
        assertTrue(fd >= 0, "socket: " + fd);
        try (java.lang.foreign.Arena arena = java.lang.foreign.Arena.ofConfined(); DatagramChannel v4 = peer("10.1.0.3")) {
            java.lang.foreign.MemorySegment sin = arena.allocate(16); // sockaddr_in 0.0.0.0:port
            sin.set(java.lang.foreign.ValueLayout.JAVA_SHORT, 0, (short) LibcConstants.AF_INET);
            sin.set(java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(java.nio.ByteOrder.BIG_ENDIAN), 2, (short) port);
            assertEquals(0, Libc.bind(fd, sin));
            assertEquals(0, Libc.setsockoptInt(fd, LibcConstants.SOL_IP, LibcConstants.IP_PKTINFO, 1));
            StickySources sources = new StickySources();
            UdpSender[] sender = new UdpSender[1];
            UdpTransport.Receiver receiver = new UdpTransport.Receiver() {
                @Override public void datagram(ByteBuf buf, ByteBuffer nio, int offset, int length, InetSocketAddress from) {
                    assertTrue(sender[0].queue(Unpooled.directBuffer(2).writeZero(2), 0, from));
                }

                @Override public void readComplete() {
                    sender[0].flush();
                }

                @Override public void sendFailed(Throwable cause) {
                    failures.add(cause);
                }
            };
            UdpReader reader = loop.submit(() -> new UdpReader(fd, PooledByteBufAllocator.DEFAULT, receiver, sources, () -> sender[0].writable())).get();
            sender[0] = new UdpSender(fd, false, sources, PooledByteBufAllocator.DEFAULT, new UdpSender.Events() {
                @Override public void sendFailed(Throwable cause) {
                    failures.add(cause);
                }

                @Override public void watchWritable(boolean watch) {
                    reader.watchWritable(watch);
                }
            });
            io.netty.channel.IoRegistration reg = loop.register(reader).get();
            loop.submit(() -> reader.start(reg)).get();
            try {
                for (String ours : List.of("10.1.0.2", "10.1.0.1", "10.1.0.2")) {
                    v4.send(ByteBuffer.wrap(new byte[] {1}), new InetSocketAddress(ours, port));
                    assertEquals(new InetSocketAddress(ours, port), answerSource(v4), "answered from the address written to");
                }
            } finally {
                loop.submit(() -> {
                    reader.close();
                    sender[0].close();
                }).get();
            }
        } finally {
            Libc.close(fd);
        }
    }

    /** Reading datagrams that each name their local address, and sending each from a sticky source, allocates nothing per datagram. */
    @Test
    void stickySourcesCostNoAllocationPerDatagram() throws Exception {
        try (DatagramChannel v4 = peer("10.1.0.3")) {
            InetSocketAddress to = writeTo(v4, "10.1.0.2");
            InetSocketAddress ours = new InetSocketAddress("10.1.0.2", transport.port());
            countOnly = true;
            int n = 20_000;
            long received = 0;
            for (int round = 0; round < 4; round++) { // the first rounds warm up: the JIT compiles the paths
                long before = loop.submit(UdpTransportSourceTest::allocated).get();
                receive(v4, ours, n);
                received = loop.submit(UdpTransportSourceTest::allocated).get() - before;
            }
            ByteBuf payload = PooledByteBufAllocator.DEFAULT.directBuffer(32).writeZero(32);
            try {
                long sent = 0;
                for (int round = 0; round < 4; round++) { // the first rounds warm up
                    sent = loop.submit(() -> {
                        long start = allocated();
                        for (int i = 0; i < n; i++) {
                            assertTrue(transport.send(payload.retain(), to));
                            if (i % 100 == 99) transport.flush();
                        }
                        transport.flush();
                        return allocated() - start;
                    }).get(30, TimeUnit.SECONDS);
                }
                assertTrue(received < n, "receiving " + n + " datagrams allocated " + received + " bytes");
                assertTrue(sent < n, "sending " + n + " datagrams from a sticky source allocated " + sent + " bytes");
            } finally {
                payload.release();
            }
        }
    }

    private void receive(DatagramChannel from, InetSocketAddress to, int n) throws Exception {
        int target = counted.get() + n;
        ByteBuffer b = ByteBuffer.allocateDirect(64);
        for (int i = 0; i < n; i++) {
            from.send(b.clear(), to);
            if (i % 256 == 255) Thread.sleep(1); // stay within the receive buffer
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (counted.get() < target && System.nanoTime() < deadline) Thread.sleep(10);
        assertEquals(target, counted.get(), "every datagram arrived");
    }

    /** Bytes allocated so far by the calling thread. */
    private static long allocated() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }

    @Test
    void aFullSocketBufferMakesSendsWaitForRoomNotFail() throws Exception {
        // v2 holds what it is given in a slow qdisc: the socket's buffer fills (EAGAIN) and drains at 400 kbit/s
        ns.ip("link", "add", "v2", "type", "veth", "peer", "name", "v3");
        ns.exec("sysctl", "-q", "-w", "net.ipv6.conf.v2.disable_ipv6=1"); // nothing of its own in the qdisc's count
        ns.ip("link", "set", "v2", "up");
        ns.ip("link", "set", "v3", "up");
        ns.ip("route", "add", "10.9.9.0/24", "dev", "v2");
        ns.ip("neigh", "add", "10.9.9.9", "lladdr", "02:00:00:00:00:09", "dev", "v2", "nud", "permanent");
        ns.exec("tc", "qdisc", "add", "dev", "v2", "root", "tbf", "rate", "400kbit", "burst", "1600", "limit", "200000");
        assertEquals(0, Libc.setsockoptInt(transport.fd(), LibcConstants.SOL_SOCKET, LibcConstants.SO_SNDBUFFORCE, 4096));
        InetSocketAddress to = new InetSocketAddress("10.9.9.9", 9);
        int datagrams = 40;
        int waiting = loop.submit(() -> {
            for (int i = 0; i < datagrams; i++) {
                assertTrue(transport.send(Unpooled.directBuffer(1000).writeZero(1000), to), "datagram " + i + " queued");
            }
            transport.flush();
            return transport.waiting();
        }).get(5, TimeUnit.SECONDS);
        assertTrue(waiting > 0, "the socket buffer filled: " + waiting + " datagrams waited");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        long sent = 0;
        while (System.nanoTime() < deadline && (sent = qdiscSent()) < datagrams) Thread.sleep(50);
        assertEquals(datagrams, sent, "every datagram left once there was room");
        assertEquals(0, (int) loop.submit(transport::waiting).get(5, TimeUnit.SECONDS));
    }

    private long qdiscSent() throws Exception {
        Matcher m = Pattern.compile("Sent \\d+ bytes (\\d+) pkt").matcher(ns.exec("tc", "-s", "qdisc", "show", "dev", "v2"));
        assertTrue(m.find());
        return Long.parseLong(m.group(1));
    }
}
