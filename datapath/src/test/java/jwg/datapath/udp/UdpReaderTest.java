package jwg.datapath.udp;

import static org.junit.jupiter.api.Assertions.*;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.IoEventLoop;
import io.netty.channel.IoRegistration;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.DatagramChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import jwg.sys.Libc;
import jwg.sys.LibcConstants;
import org.junit.jupiter.api.Test;

/**
 * UdpReader on an IPv4-only socket, as Netty opens on a host without IPv6: the sender arrives as a
 * sockaddr_in (16 bytes) rather than the dual-stack socket's sockaddr_in6 (UdpTransportTest).
 */
class UdpReaderTest {
    record Received(byte[] bytes, InetSocketAddress sender) {}

    @Test
    void anIpv4OnlySocketNamesItsSendersToo() throws Exception {
        int fd = Libc.socket(LibcConstants.AF_INET, LibcConstants.SOCK_DGRAM | LibcConstants.SOCK_NONBLOCK | LibcConstants.SOCK_CLOEXEC, 0);
        assertTrue(fd >= 0, "socket: " + fd);
        MultiThreadIoEventLoopGroup group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        try (Arena arena = Arena.ofConfined(); DatagramChannel a = DatagramChannel.open(); DatagramChannel b = DatagramChannel.open()) {
            MemorySegment sin = arena.allocate(16); // sockaddr_in 127.0.0.1, port 0 (any)
            sin.set(ValueLayout.JAVA_SHORT, 0, (short) LibcConstants.AF_INET);
            sin.set(ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN), 4, 0x7f000001);
            assertEquals(0, Libc.bind(fd, sin));
            a.bind(new InetSocketAddress("127.0.0.1", 0));
            b.bind(new InetSocketAddress("127.0.0.1", 0));
            LinkedBlockingQueue<Received> got = new LinkedBlockingQueue<>();
            UdpTransport.Receiver receiver = new UdpTransport.Receiver() {
                @Override public void datagram(ByteBuf buf, ByteBuffer nio, int offset, int length, InetSocketAddress sender) {
                    byte[] bytes = new byte[length];
                    buf.getBytes(offset, bytes);
                    got.add(new Received(bytes, sender));
                }

                @Override public void readComplete() {}

                @Override public void sendFailed(Throwable cause) {}
            };
            IoEventLoop loop = (IoEventLoop) group.next();
            UdpReader reader = loop.submit(() -> new UdpReader(fd, PooledByteBufAllocator.DEFAULT, receiver)).get();
            IoRegistration reg = loop.register(reader).get();
            loop.submit(() -> reader.start(reg)).get();
            InetSocketAddress to = new InetSocketAddress("127.0.0.1", boundPort(fd));
            a.send(ByteBuffer.wrap(new byte[] {1, 2, 3}), to);
            a.send(ByteBuffer.wrap(new byte[] {4}), to);
            b.send(ByteBuffer.wrap(new byte[] {5, 6}), to);
            Received first = got.poll(5, TimeUnit.SECONDS), second = got.poll(5, TimeUnit.SECONDS), third = got.poll(5, TimeUnit.SECONDS);
            assertNotNull(third, "three datagrams");
            assertArrayEquals(new byte[] {1, 2, 3}, first.bytes());
            assertEquals(a.getLocalAddress(), first.sender());
            assertInstanceOf(Inet4Address.class, first.sender().getAddress());
            assertSame(first.sender(), second.sender(), "the same sender, the same object");
            assertArrayEquals(new byte[] {5, 6}, third.bytes());
            assertEquals(b.getLocalAddress(), third.sender());
            loop.submit(reader::close).get();
        } finally {
            Libc.close(fd);
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }

    /** The port fd is bound to, from /proc/net/udp (getsockname is not in Libc). */
    private static int boundPort(int fd) throws Exception {
        String inode = Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd)).toString()
                .replaceAll("\\D", "");
        for (String line : Files.readAllLines(Path.of("/proc/net/udp"))) {
            String[] f = line.trim().split("\\s+");
            if (f.length > 9 && f[9].equals(inode)) return Integer.parseInt(f[1].split(":")[1], 16);
        }
        throw new IllegalStateException("socket inode " + inode + " not in /proc/net/udp");
    }
}
