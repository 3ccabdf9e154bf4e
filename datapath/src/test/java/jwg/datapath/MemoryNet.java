package jwg.datapath;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Predicate;
import jwg.datapath.udp.Bind;
import jwg.datapath.udp.UdpTransport;

/**
 * A network in memory (wireguard-go's bindtest): sockets on loopback ports whose datagrams wait
 * in one queue until {@link #pump} hands each to the receiver bound at its destination. Nothing
 * runs by itself: a test sends, pumps, looks.
 */
final class MemoryNet {
    record Datagram(InetSocketAddress from, InetSocketAddress to, byte[] bytes) {}

    private final Map<Integer, MemoryBind> ports = new HashMap<>();
    private final ArrayDeque<Datagram> queue = new ArrayDeque<>();
    private int nextPort = 40000;
    /** Datagrams the network loses (they are taken from the queue and not delivered). */
    Predicate<Datagram> lose = d -> false;

    /** A socket on port (0: the next free one) whose datagrams go to receiver. */
    MemoryBind bind(int port, UdpTransport.Receiver receiver) throws SocketSetupException {
        if (port == 0) {
            while (ports.containsKey(nextPort)) nextPort++;
            port = nextPort++;
        }
        if (ports.containsKey(port)) throw new SocketSetupException("cannot listen on UDP port " + port + ": in use", null);
        MemoryBind b = new MemoryBind(port, receiver);
        ports.put(port, b);
        return b;
    }

    /**
     * Delivers what is queued, and what that answers, until nothing is left; returns how many
     * datagrams were delivered. As a socket's reads come in bursts, each pass hands every receiver
     * what was queued for it, then ends its burst (readComplete).
     */
    int pump() {
        int n = 0;
        while (!queue.isEmpty()) {
            java.util.Set<MemoryBind> read = new java.util.LinkedHashSet<>();
            for (int left = queue.size(); left > 0; left--) {
                Datagram d = queue.poll();
                MemoryBind to = ports.get(d.to().getPort());
                if (to == null || lose.test(d)) continue;
                ByteBuf buf = PooledByteBufAllocator.DEFAULT.directBuffer(d.bytes().length);
                try {
                    buf.writeBytes(d.bytes());
                    ByteBuffer nio = buf.nioBuffer(0, buf.capacity());
                    to.receiver.datagram(buf, nio, 0, d.bytes().length, d.from());
                } finally {
                    buf.release();
                }
                read.add(to);
                n++;
            }
            for (MemoryBind to : read) to.receiver.readComplete();
        }
        return n;
    }

    /** Queues d as if its source had sent it (e.g. a datagram seen before, to replay it). */
    void inject(Datagram d) {
        queue.add(d);
    }

    /** The datagrams queued and not yet delivered. */
    int queued() {
        return queue.size();
    }

    /** One socket: sends queue datagrams, GSO sends are cut into their datagrams. */
    final class MemoryBind implements Bind {
        final InetSocketAddress address;
        private final UdpTransport.Receiver receiver;
        private boolean gso = true;
        int mark;

        MemoryBind(int port, UdpTransport.Receiver receiver) {
            this.address = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
            this.receiver = receiver;
        }

        @Override public boolean send(ByteBuf content, InetSocketAddress to) {
            queue.add(new Datagram(address, to, ByteBufUtil.getBytes(content)));
            content.release();
            return true;
        }

        @Override public boolean sendSegments(ByteBuf content, int segmentSize, InetSocketAddress to) {
            for (int at = content.readerIndex(); at < content.writerIndex(); at += segmentSize) {
                queue.add(new Datagram(address, to, ByteBufUtil.getBytes(content, at, Math.min(segmentSize, content.writerIndex() - at))));
            }
            content.release();
            return true;
        }

        @Override public void flush() {}

        @Override public boolean gso() { return gso; }

        @Override public void disableGso() { gso = false; }

        @Override public boolean gro() { return false; }

        @Override public int port() { return address.getPort(); }

        @Override public void setMark(int mark) { this.mark = mark; }

        @Override public void close() { ports.remove(address.getPort(), this); }
    }
}
