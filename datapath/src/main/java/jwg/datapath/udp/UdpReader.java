package jwg.datapath.udp;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.IoEvent;
import io.netty.channel.IoRegistration;
import io.netty.channel.epoll.EpollIoHandle;
import io.netty.channel.epoll.EpollIoOps;
import io.netty.channel.unix.FileDescriptor;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import jwg.datapath.Limits;
import jwg.sys.Errno;
import jwg.sys.Libc;
import jwg.sys.LibcConstants;

/**
 * The receive side of the outer UDP socket, read by us rather than by Netty. Netty turns every
 * datagram of a UDP GRO read into a DatagramPacket, a sliced ByteBuf with a fresh NIO view and a
 * new InetSocketAddress: about 150 bytes of garbage per packet (JFR, TCP through the tunnel).
 * Here one reused direct buffer takes each recvmsg, its datagrams go to the receiver as (offset,
 * length) in that buffer, and the sender's InetSocketAddress is made again only when the
 * sender's address changes.
 *
 * <p>Netty's channel keeps the socket (bind, options, sends), with auto-read off so that it never
 * reads; this handle watches a duplicate of the socket's descriptor on the same epoll loop (epoll
 * keys its registrations by descriptor, so the two coexist). Each wakeup reads a bounded burst ({@link Limits#UDP_BURST}, {@link Limits#UDP_BURST_BYTES}).
 */
final class UdpReader implements EpollIoHandle {
    // struct msghdr on LP64 Linux: msg_name, msg_namelen (+4 padding), msg_iov, msg_iovlen,
    // msg_control, msg_controllen, msg_flags (+4 padding).
    private static final long MSG_NAME = 0, MSG_NAMELEN = 8, MSG_IOV = 16, MSG_IOVLEN = 24;
    private static final long MSG_CONTROL = 32, MSG_CONTROLLEN = 40, MSG_FLAGS = 48, MSGHDR_SIZE = 56;
    private static final long IOVEC_SIZE = 16; // iov_base, iov_len
    /** sizeof(struct sockaddr_in6), which also holds a sockaddr_in. */
    private static final int NAME_SIZE = 28;
    /** Room for the UDP_GRO cmsg (16-byte cmsghdr and an int) and whatever else comes. */
    private static final int CONTROL_SIZE = 64;
    private static final ValueLayout.OfShort PORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    private final FileDescriptor fd;
    private final UdpTransport.Receiver datagrams;
    private final ByteBuf buffer;
    private final ByteBuffer nio;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment msghdr;
    private final MemorySegment name;
    private final MemorySegment control;
    private IoRegistration registration;
    private boolean closed;

    /** The last sender, and its sockaddr as read (28 bytes: three longs and an int). */
    private InetSocketAddress sender;
    private long name0, name1, name2;
    private int name3;

    /** Reads through a duplicate of socketFd (the caller keeps socketFd); the duplicate is closed with this. */
    UdpReader(int socketFd, ByteBufAllocator alloc, UdpTransport.Receiver datagrams) {
        int dup = Libc.dup(socketFd);
        if (dup < 0) throw new IllegalStateException("cannot duplicate the UDP socket: " + Errno.name(-dup));
        this.fd = new FileDescriptor(dup);
        this.datagrams = datagrams;
        this.buffer = alloc.directBuffer(Limits.MAX_DATAGRAM, Limits.MAX_DATAGRAM);
        this.nio = buffer.nioBuffer(0, Limits.MAX_DATAGRAM);
        MemorySegment block = arena.allocate(MSGHDR_SIZE + IOVEC_SIZE + NAME_SIZE + 4 + CONTROL_SIZE, 8);
        msghdr = block.asSlice(0, MSGHDR_SIZE);
        MemorySegment iov = block.asSlice(MSGHDR_SIZE, IOVEC_SIZE);
        name = block.asSlice(MSGHDR_SIZE + IOVEC_SIZE, NAME_SIZE);
        control = block.asSlice(MSGHDR_SIZE + IOVEC_SIZE + NAME_SIZE + 4, CONTROL_SIZE);
        iov.set(JAVA_LONG, 0, buffer.memoryAddress());
        iov.set(JAVA_LONG, 8, Limits.MAX_DATAGRAM);
        msghdr.set(JAVA_LONG, MSG_NAME, name.address());
        msghdr.set(JAVA_LONG, MSG_IOV, iov.address());
        msghdr.set(JAVA_LONG, MSG_IOVLEN, 1);
        msghdr.set(JAVA_LONG, MSG_CONTROL, control.address());
    }

    /** Called once registered: starts watching for readability. */
    void start(IoRegistration registration) {
        this.registration = registration;
        registration.submit(EpollIoOps.EPOLLIN);
    }

    @Override
    public FileDescriptor fd() {
        return fd;
    }

    @Override
    public void handle(IoRegistration registration, IoEvent event) {
        if (closed) return;
        try {
            for (int i = 0, bytes = 0; i < Limits.UDP_BURST && bytes < Limits.UDP_BURST_BYTES; i++) {
                int n = receive();
                if (n == -Errno.EAGAIN) break;
                if (n < 0) continue; // an error the socket had queued (e.g. from ICMP): reported once, go on
                bytes += n;
                int flags = msghdr.get(JAVA_INT, MSG_FLAGS);
                if ((flags & LibcConstants.MSG_TRUNC) != 0) continue; // larger than any UDP datagram: impossible
                InetSocketAddress from = sender();
                if (from == null) continue;
                int segment = groSegmentSize(flags);
                if (segment < 0) continue; // truncated control data (cannot happen with CONTROL_SIZE): where its datagrams end is unknown, so they are dropped
                if (segment == 0 || segment >= n) {
                    datagrams.datagram(buffer, nio, 0, n, from);
                    continue;
                }
                for (int at = 0; at < n; at += segment) datagrams.datagram(buffer, nio, at, Math.min(segment, n - at), from);
            }
        } finally {
            datagrams.readComplete();
        }
    }

    private int receive() {
        msghdr.set(JAVA_INT, MSG_NAMELEN, NAME_SIZE);
        msghdr.set(JAVA_LONG, MSG_CONTROLLEN, CONTROL_SIZE);
        msghdr.set(JAVA_INT, MSG_FLAGS, 0);
        name.fill((byte) 0); // a sockaddr_in leaves the rest as it was: zero it, so that equal senders compare equal
        return Libc.recvmsg(fd.intValue(), msghdr, LibcConstants.MSG_DONTWAIT);
    }

    /** The segment size of a UDP GRO read, from its cmsg; 0 for a single datagram, -1 if the control data is unreadable. */
    private int groSegmentSize(int flags) {
        if ((flags & LibcConstants.MSG_CTRUNC) != 0) return -1; // cannot tell where datagrams end
        long len = msghdr.get(JAVA_LONG, MSG_CONTROLLEN);
        for (long at = 0; at + 16 <= len; ) {
            long cmsgLen = control.get(JAVA_LONG, at);
            if (cmsgLen < 16 || at + cmsgLen > len) return -1;
            if (control.get(JAVA_INT, at + 8) == LibcConstants.SOL_UDP && control.get(JAVA_INT, at + 12) == LibcConstants.UDP_GRO
                    && cmsgLen >= 20) {
                return control.get(JAVA_INT, at + 16);
            }
            at += (cmsgLen + 7) & ~7L;
        }
        return 0;
    }

    /** The sender of the last read: the previous object while its sockaddr is unchanged; null if unreadable. */
    private InetSocketAddress sender() {
        long w0 = name.get(JAVA_LONG, 0), w1 = name.get(JAVA_LONG, 8), w2 = name.get(JAVA_LONG, 16);
        int w3 = name.get(JAVA_INT, 24);
        if (sender != null && w0 == name0 && w1 == name1 && w2 == name2 && w3 == name3) return sender;
        InetSocketAddress parsed = parseName();
        if (parsed != null) {
            sender = parsed;
            name0 = w0;
            name1 = w1;
            name2 = w2;
            name3 = w3;
        }
        return parsed;
    }

    private InetSocketAddress parseName() {
        int family = name.get(ValueLayout.JAVA_SHORT, 0);
        int port = Short.toUnsignedInt(name.get(PORT, 2));
        try {
            if (family == LibcConstants.AF_INET) {
                return new InetSocketAddress(InetAddress.getByAddress(name.asSlice(4, 4).toArray(ValueLayout.JAVA_BYTE)), port);
            }
            if (family == LibcConstants.AF_INET6) {
                byte[] a = name.asSlice(8, 16).toArray(ValueLayout.JAVA_BYTE);
                int scope = name.get(JAVA_INT, 24);
                // An IPv4-mapped address (a v4 peer on the dual-stack socket) becomes an Inet4Address.
                InetAddress address = InetAddress.getByAddress(a);
                if (scope != 0 && address instanceof Inet6Address) address = Inet6Address.getByAddress(null, a, scope);
                return new InetSocketAddress(address, port);
            }
        } catch (UnknownHostException e) {
            // a length getByAddress refuses: cannot happen with 4 or 16 bytes
        }
        return null;
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        try {
            if (registration != null) registration.cancel(); // while the descriptor is open: epoll forgets it
            fd.close();
        } catch (IOException e) {
            // closing a socket descriptor does not fail in a way we could act on
        }
        buffer.release();
        arena.close();
    }
}
