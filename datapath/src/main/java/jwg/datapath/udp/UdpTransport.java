package jwg.datapath.udp;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelException;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.IoEventLoop;
import io.netty.channel.IoRegistration;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollDatagramChannel;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.function.IntConsumer;
import jwg.datapath.Limits;
import jwg.sys.ErrnoException;
import jwg.sys.Libc;
import jwg.sys.LibcConstants;

/**
 * The outer UDP socket (whitepaper 2: WireGuard runs over UDP): one dual-stack Netty epoll datagram
 * channel bound to the listen port on the device's event loop, which {@link UdpReader} reads and
 * {@link UdpSender} writes (Netty binds it and holds its options). Everything here runs on that loop.
 *
 * <p>Sends are bounded: when {@link UdpSender#HIGH_WATER} bytes wait (the socket buffer is full) a
 * packet is dropped (and counted by the caller) rather than queued without limit. Writes are
 * batched and go out on {@link #flush()} (several datagrams: one sendmmsg), which the datapath
 * calls at the end of each burst.
 *
 * <p>Each remote is answered from the local address it last wrote to ({@link StickySources}:
 * IPV6_PKTINFO / IP_PKTINFO on receive and on send), as kernel WireGuard and wireguard-go's
 * sticky sockets do, so that on a host with several addresses a peer sees the answer come from
 * the address it wrote to; when that address is gone, the route picks the source again.
 *
 * <p>Offloads, each probed and each with a fallback: UDP GSO (UDP_SEGMENT: one send carries up to
 * {@link Limits#GSO_SEGMENTS} equal datagrams, which the kernel splits as late as possible, over veth
 * not at all) and UDP GRO (the kernel hands several datagrams of one flow to one read, which
 * {@link UdpReader} hands on one by one without copying). The socket buffers are forced to
 * {@link Limits#SOCKET_BUFFER} past the sysctl limits when we may (CAP_NET_ADMIN), as wireguard-go does.
 */
public final class UdpTransport implements Bind {
    /** What the socket receives, and its failed sends; called on the event loop. */
    public interface Receiver {
        /**
         * The datagram at buf[offset, offset + length), also at nio[offset, offset + length) (nio
         * views the same memory index for index; its position and limit are the receiver's to
         * move). Both are the transport's receive buffer, reused once this returns.
         */
        void datagram(ByteBuf buf, ByteBuffer nio, int offset, int length, InetSocketAddress sender);

        /** The end of a burst of reads: flush what was queued. */
        void readComplete();

        /** A datagram could not be sent. */
        void sendFailed(Throwable cause);
    }

    /** Which offloads to try. */
    public record Options(boolean gso, boolean gro) {}

    private final EpollDatagramChannel channel;
    private final UdpReader reader;
    private final UdpSender sender;
    private final boolean sticky;
    private boolean gso;
    private final boolean gro;

    private UdpTransport(EpollDatagramChannel channel, UdpReader reader, UdpSender sender, boolean sticky, boolean gso, boolean gro) {
        this.channel = channel;
        this.reader = reader;
        this.sender = sender;
        this.sticky = sticky;
        this.gso = gso;
        this.gro = gro;
    }

    /**
     * Binds [::]:port (dual-stack; port 0 picks one) on loop. The socket is made on the loop's own
     * thread, hence in the network namespace that thread was started in, and never blocks the loop:
     * the result completes when the bind has succeeded or failed. setUp runs with the socket's fd
     * before the bind, e.g. to set SO_MARK; what it throws fails the bind.
     */
    public static CompletableFuture<UdpTransport> bind(IoEventLoop loop, int port, Options options, Receiver receiver, IntConsumer setUp) {
        CompletableFuture<UdpTransport> result = new CompletableFuture<>();
        Bootstrap b = new Bootstrap()
                .group(loop)
                .channelFactory(() -> {
                    EpollDatagramChannel ch = new EpollDatagramChannel();
                    try {
                        setUp.accept(ch.fd().intValue());
                        forceBuffers(ch.fd().intValue());
                    } catch (RuntimeException e) {
                        ch.unsafe().closeForcibly();
                        throw e;
                    }
                    return ch;
                })
                .option(ChannelOption.AUTO_READ, false) // UdpReader reads, UdpSender writes
                .handler(new ChannelInboundHandlerAdapter() {
                    @Override
                    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                        receiver.sendFailed(cause);
                    }
                });
        loop.execute(() -> b.bind(new InetSocketAddress(port)).addListener((ChannelFuture f) -> {
            // On failure the bootstrap has closed the channel already (CLOSE_ON_FAILURE).
            if (!f.isSuccess()) {
                result.completeExceptionally(f.cause());
                return;
            }
            EpollDatagramChannel ch = (EpollDatagramChannel) f.channel();
            boolean gso = options.gso() && EpollDatagramChannel.isSegmentedDatagramPacketSupported();
            boolean gro = options.gro() && enableGro(ch);
            int fd = ch.fd().intValue();
            boolean ipv6 = ((InetSocketAddress) ch.localAddress()).getAddress() instanceof Inet6Address;
            boolean sticky = enablePktinfo(fd, ipv6);
            StickySources sources = sticky ? new StickySources() : null;
            UdpSender[] sender = new UdpSender[1];
            UdpReader reader;
            try {
                reader = new UdpReader(fd, ch.alloc(), receiver, sources, () -> sender[0].writable());
                sender[0] = new UdpSender(fd, ipv6, sources, ch.alloc(), new UdpSender.Events() {
                    @Override public void sendFailed(Throwable cause) {
                        receiver.sendFailed(cause);
                    }

                    @Override public void watchWritable(boolean watch) {
                        reader.watchWritable(watch);
                    }
                });
            } catch (RuntimeException e) {
                ch.close();
                result.completeExceptionally(e);
                return;
            }
            loop.register(reader).addListener(r -> {
                if (!r.isSuccess()) {
                    reader.close();
                    sender[0].close();
                    ch.close();
                    result.completeExceptionally(r.cause());
                    return;
                }
                reader.start((IoRegistration) r.getNow());
                result.complete(new UdpTransport(ch, reader, sender[0], sticky, gso, gro));
            });
        }));
        return result;
    }

    /** SO_SNDBUFFORCE / SO_RCVBUFFORCE; without CAP_NET_ADMIN, the plain options (capped by the sysctls). */
    private static void forceBuffers(int fd) {
        if (Libc.setsockoptInt(fd, LibcConstants.SOL_SOCKET, LibcConstants.SO_RCVBUFFORCE, Limits.SOCKET_BUFFER) < 0) {
            Libc.setsockoptInt(fd, LibcConstants.SOL_SOCKET, LibcConstants.SO_RCVBUF, Limits.SOCKET_BUFFER);
        }
        if (Libc.setsockoptInt(fd, LibcConstants.SOL_SOCKET, LibcConstants.SO_SNDBUFFORCE, Limits.SOCKET_BUFFER) < 0) {
            Libc.setsockoptInt(fd, LibcConstants.SOL_SOCKET, LibcConstants.SO_SNDBUF, Limits.SOCKET_BUFFER);
        }
    }

    /**
     * Each read's local address in its control data: IPV6_RECVPKTINFO on a dual-stack socket
     * (IPv4 datagrams come IPv4-mapped), IP_PKTINFO on an IPv4 one; false if the kernel refuses.
     */
    private static boolean enablePktinfo(int fd, boolean ipv6) {
        return ipv6 ? Libc.setsockoptInt(fd, LibcConstants.SOL_IPV6, LibcConstants.IPV6_RECVPKTINFO, 1) == 0
                : Libc.setsockoptInt(fd, LibcConstants.SOL_IP, LibcConstants.IP_PKTINFO, 1) == 0;
    }

    /** UDP_GRO on the socket; false if the kernel refuses it (before Linux 5.0). */
    private static boolean enableGro(EpollDatagramChannel ch) {
        try {
            ch.config().setOption(EpollChannelOption.UDP_GRO, true);
            return ch.config().getOption(EpollChannelOption.UDP_GRO);
        } catch (ChannelException e) {
            return false;
        }
    }

    @Override
    public int port() {
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    /** The socket's file descriptor (for socket options Netty does not name, such as SO_MARK). */
    public int fd() {
        return channel.fd().intValue();
    }

    @Override
    public void setMark(int mark) throws ErrnoException {
        setMark(fd(), mark);
    }

    /** SO_MARK on the socket fd (unsigned; 0 removes the mark). */
    public static void setMark(int fd, int mark) throws ErrnoException {
        int r = Libc.setsockoptInt(fd, LibcConstants.SOL_SOCKET, LibcConstants.SO_MARK, mark);
        if (r < 0) throw new ErrnoException("setsockopt(SO_MARK, " + Integer.toUnsignedString(mark) + ")", -r);
    }

    @Override
    public boolean gso() {
        return gso;
    }

    @Override
    public boolean gro() {
        return gro;
    }

    /** Whether each remote is answered from the local address it wrote to (the kernel took IP(V6)_PKTINFO). */
    public boolean stickySources() {
        return sticky;
    }

    /** UDP GSO sends failed (some kernels and drivers refuse or mangle them): sends go one datagram each from now on. */
    @Override
    public void disableGso() {
        gso = false;
    }

    @Override
    public boolean send(ByteBuf content, InetSocketAddress to) {
        return sender.queue(content, 0, to);
    }

    /**
     * Queues the datagrams laid out back to back in content, each segmentSize bytes but the last
     * (which may be shorter), taking ownership of content: with UDP GSO, as few sends as the
     * limits allow; else one datagram each. False (content released) when the socket is backed up.
     */
    @Override
    public boolean sendSegments(ByteBuf content, int segmentSize, InetSocketAddress to) {
        int total = content.readableBytes();
        if (total <= segmentSize) return sender.queue(content, 0, to);
        int perSend = gso ? Math.min(Limits.GSO_SEGMENTS, Limits.GSO_BYTES / segmentSize) * segmentSize : segmentSize;
        if (!sender.room((total + perSend - 1) / perSend)) {
            content.release();
            return false;
        }
        int start = content.readerIndex();
        for (int at = start; at < start + total; at += perSend) {
            int len = Math.min(perSend, start + total - at);
            sender.queue(content.retainedSlice(at, len), gso ? segmentSize : 0, to);
        }
        content.release();
        return true;
    }

    @Override
    public void flush() {
        sender.flush();
    }

    /** Datagrams (or GSO sends) queued and not yet sent: those waiting for room in the socket buffer after a flush. */
    int waiting() {
        return sender.queuedCount();
    }

    /** Closes the socket; on the loop at once, from another thread by a task on the loop. */
    @Override
    public void close() {
        if (channel.eventLoop().inEventLoop()) {
            reader.close();
            sender.close();
        } else {
            channel.eventLoop().execute(() -> {
                reader.close();
                sender.close();
            });
        }
        channel.close();
    }
}
