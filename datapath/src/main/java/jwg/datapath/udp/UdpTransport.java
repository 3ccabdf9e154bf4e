package jwg.datapath.udp;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.function.IntConsumer;

/**
 * The outer UDP socket (whitepaper 2: WireGuard runs over UDP): one dual-stack Netty epoll datagram
 * channel bound to the listen port on the device's event loop. Everything here runs on that loop.
 *
 * <p>Sends are bounded: when the channel's outbound buffer is above its high-water mark a packet is
 * dropped (and counted by the caller) rather than queued without limit. Writes are batched and go
 * out on {@link #flush()}, which the datapath calls at the end of each burst.
 */
public final class UdpTransport implements AutoCloseable {
    /** Largest datagram we read: the UDP maximum, so an oversized datagram is seen and dropped, never truncated. */
    public static final int MAX_DATAGRAM = 65536;
    private static final int SEND_HIGH_WATER = 4 << 20;

    /** Receives each datagram on the event loop; content is released by the transport after the call returns. */
    public interface Receiver {
        void datagram(ByteBuf content, InetSocketAddress sender);

        /** The end of a burst of reads: flush what was queued. */
        void readComplete();

        /** A datagram could not be sent. */
        void sendFailed(Throwable cause);
    }

    private final EpollDatagramChannel channel;

    private UdpTransport(EpollDatagramChannel channel) {
        this.channel = channel;
    }

    /**
     * Binds [::]:port (dual-stack; port 0 picks one) on loop. The socket is made on the loop's own
     * thread, hence in the network namespace that thread was started in, and never blocks the loop:
     * the result completes when the bind has succeeded or failed. setUp runs with the socket's fd
     * before the bind, e.g. to set SO_MARK; what it throws fails the bind.
     */
    public static CompletableFuture<UdpTransport> bind(EventLoop loop, int port, Receiver receiver, IntConsumer setUp) {
        CompletableFuture<UdpTransport> result = new CompletableFuture<>();
        Bootstrap b = new Bootstrap()
                .group(loop)
                .channelFactory(() -> {
                    EpollDatagramChannel ch = new EpollDatagramChannel();
                    try {
                        setUp.accept(ch.fd().intValue());
                    } catch (RuntimeException e) {
                        ch.unsafe().closeForcibly();
                        throw e;
                    }
                    return ch;
                })
                .option(io.netty.channel.ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(MAX_DATAGRAM))
                .option(io.netty.channel.ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(SEND_HIGH_WATER / 2, SEND_HIGH_WATER))
                .option(io.netty.channel.ChannelOption.SO_RCVBUF, 4 << 20)
                .option(io.netty.channel.ChannelOption.SO_SNDBUF, 4 << 20)
                .handler(new ChannelInboundHandlerAdapter() {
                    @Override
                    public void channelRead(ChannelHandlerContext ctx, Object msg) {
                        DatagramPacket p = (DatagramPacket) msg;
                        try {
                            receiver.datagram(p.content(), p.sender());
                        } finally {
                            p.release();
                        }
                    }

                    @Override
                    public void channelReadComplete(ChannelHandlerContext ctx) {
                        receiver.readComplete();
                    }

                    /** A failed send (e.g. ENETUNREACH): the packet is lost, as UDP allows; the timers retry. */
                    @Override
                    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                        receiver.sendFailed(cause);
                    }
                });
        loop.execute(() -> b.bind(new InetSocketAddress(port)).addListener((ChannelFuture f) -> {
            // On failure the bootstrap has closed the channel already (CLOSE_ON_FAILURE).
            if (f.isSuccess()) result.complete(new UdpTransport((EpollDatagramChannel) f.channel()));
            else result.completeExceptionally(f.cause());
        }));
        return result;
    }

    /** The bound port. */
    public int port() {
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    /** The socket's file descriptor (for socket options Netty does not name, such as SO_MARK). */
    public int fd() {
        return channel.fd().intValue();
    }

    /** Queues content for to, taking ownership of it. False (content released) when the socket is backed up. */
    public boolean send(ByteBuf content, InetSocketAddress to) {
        if (!channel.isWritable()) {
            content.release();
            return false;
        }
        channel.write(new DatagramPacket(content, to), channel.voidPromise());
        return true;
    }

    public void flush() {
        channel.flush();
    }

    /** Closes the socket; on the loop at once, from another thread by a task on the loop. */
    @Override
    public void close() {
        channel.close();
    }
}
