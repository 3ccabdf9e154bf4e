package jwg.datapath.udp;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static jwg.sys.Structs.CMSG_DATA;
import static jwg.sys.Structs.CMSG_LEVEL;
import static jwg.sys.Structs.CMSG_TYPE;
import static jwg.sys.Structs.IN6_PKTINFO_SIZE;
import static jwg.sys.Structs.IN_PKTINFO_SIZE;
import static jwg.sys.Structs.IOVEC_SIZE;
import static jwg.sys.Structs.IOV_BASE;
import static jwg.sys.Structs.IOV_LEN;
import static jwg.sys.Structs.IPI6_ADDR;
import static jwg.sys.Structs.IPI_ADDR;
import static jwg.sys.Structs.MSGHDR_SIZE;
import static jwg.sys.Structs.MSG_CONTROL;
import static jwg.sys.Structs.MSG_CONTROLLEN;
import static jwg.sys.Structs.MSG_FLAGS;
import static jwg.sys.Structs.MSG_IOV;
import static jwg.sys.Structs.MSG_IOVLEN;
import static jwg.sys.Structs.MSG_NAME;
import static jwg.sys.Structs.MSG_NAMELEN;
import static jwg.sys.Structs.SOCKADDR_IN6_SIZE;
import static jwg.sys.Structs.cmsgAlign;
import static jwg.sys.Structs.cmsgLen;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.IoEvent;
import io.netty.channel.IoRegistration;
import io.netty.channel.epoll.EpollIoEvent;
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
 * <p>Netty's channel keeps the socket (bind, options), with auto-read off so that it never
 * reads; this handle watches a duplicate of the socket's descriptor on the same epoll loop (epoll
 * keys its registrations by descriptor, so the two coexist). Each wakeup reads a bounded burst
 * ({@link Limits#UDP_BURST}, {@link Limits#UDP_BURST_BYTES}). With {@link StickySources}, each
 * read's local address (IPV6_PKTINFO, or IP_PKTINFO on an IPv4 socket) is noted as the source to
 * answer its sender from. The handle also watches EPOLLOUT while {@link UdpSender} waits for room.
 */
final class UdpReader implements EpollIoHandle {
    /** sizeof(struct sockaddr_in6), which also holds a sockaddr_in. */
    private static final int NAME_SIZE = (int) SOCKADDR_IN6_SIZE;
    /** Room for the UDP_GRO cmsg (CMSG_SPACE(4) = 24), IPV6_PKTINFO (CMSG_SPACE(20) = 40) and whatever else comes. */
    private static final int CONTROL_SIZE = 128;
    private static final ValueLayout.OfShort PORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    private final FileDescriptor fd;
    private final UdpTransport.Receiver datagrams;
    private final ByteBuf buffer;
    private final ByteBuffer nio;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment msghdr;
    private final MemorySegment name;
    private final MemorySegment control;
    /** The local address of the last read, as 16 bytes (IPv4-mapped for IPv4). */
    private final MemorySegment local;
    private final StickySources sources;
    private final Runnable writable;
    private boolean hasLocal;
    private IoRegistration registration;
    private boolean closed;

    /** The last sender, and its sockaddr as read (28 bytes: three longs and an int). */
    private InetSocketAddress sender;
    private long name0, name1, name2;
    private int name3;

    /** Reads through a duplicate of socketFd (the caller keeps socketFd); the duplicate is closed with this. */
    UdpReader(int socketFd, ByteBufAllocator alloc, UdpTransport.Receiver datagrams) {
        this(socketFd, alloc, datagrams, null, () -> {});
    }

    /**
     * As above; with sources (null for none) told each read's local address (the socket must have
     * IPV6_RECVPKTINFO or IP_PKTINFO on), and writable run on EPOLLOUT while {@link #watchWritable} is on.
     */
    UdpReader(int socketFd, ByteBufAllocator alloc, UdpTransport.Receiver datagrams, StickySources sources, Runnable writable) {
        this.sources = sources;
        this.writable = writable;
        int dup = Libc.dup(socketFd);
        if (dup < 0) throw new IllegalStateException("cannot duplicate the UDP socket: " + Errno.name(-dup));
        this.fd = new FileDescriptor(dup);
        this.datagrams = datagrams;
        this.buffer = alloc.directBuffer(Limits.MAX_DATAGRAM, Limits.MAX_DATAGRAM);
        this.nio = buffer.nioBuffer(0, Limits.MAX_DATAGRAM);
        MemorySegment block = arena.allocate(MSGHDR_SIZE + IOVEC_SIZE + NAME_SIZE + 4 + CONTROL_SIZE + 16, 8);
        msghdr = block.asSlice(0, MSGHDR_SIZE);
        MemorySegment iov = block.asSlice(MSGHDR_SIZE, IOVEC_SIZE);
        name = block.asSlice(MSGHDR_SIZE + IOVEC_SIZE, NAME_SIZE);
        control = block.asSlice(MSGHDR_SIZE + IOVEC_SIZE + NAME_SIZE + 4, CONTROL_SIZE);
        local = block.asSlice(MSGHDR_SIZE + IOVEC_SIZE + NAME_SIZE + 4 + CONTROL_SIZE, 16);
        iov.set(JAVA_LONG, IOV_BASE, buffer.memoryAddress());
        iov.set(JAVA_LONG, IOV_LEN, Limits.MAX_DATAGRAM);
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

    /** Whether to run the writable callback when the socket has room (EPOLLOUT), besides reading. */
    void watchWritable(boolean watch) {
        if (closed || registration == null) return;
        registration.submit(watch ? EpollIoOps.EPOLLIN.with(EpollIoOps.EPOLLOUT) : EpollIoOps.EPOLLIN);
    }

    @Override
    public void handle(IoRegistration registration, IoEvent event) {
        if (closed) return;
        if (event instanceof EpollIoEvent e && e.ops().contains(EpollIoOps.EPOLLOUT)) {
            writable.run();
            if (closed || !e.ops().contains(EpollIoOps.EPOLLIN) && !e.ops().contains(EpollIoOps.EPOLLERR)) return;
        }
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
                int segment = parseControl(flags);
                if (segment < 0) continue; // truncated control data (cannot happen with CONTROL_SIZE): where its datagrams end is unknown, so they are dropped
                if (hasLocal && sources != null) sources.learn(from, local.get(JAVA_LONG, 0), local.get(JAVA_LONG, 8));
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

    /**
     * Reads the last read's control data: returns the segment size of a UDP GRO read (0 for a
     * single datagram, -1 if the control data is unreadable) and sets hasLocal and local from its
     * IPV6_PKTINFO or IP_PKTINFO (a multicast or broadcast local address does not count).
     */
    private int parseControl(int flags) {
        hasLocal = false;
        if ((flags & LibcConstants.MSG_CTRUNC) != 0) return -1; // cannot tell where datagrams end
        long len = msghdr.get(JAVA_LONG, MSG_CONTROLLEN);
        int segment = 0;
        for (long at = 0; at + CMSG_DATA <= len; ) {
            long cmsgLen = control.get(JAVA_LONG, at); // cmsg_len
            if (cmsgLen < CMSG_DATA || at + cmsgLen > len) return -1;
            int level = control.get(JAVA_INT, at + CMSG_LEVEL), type = control.get(JAVA_INT, at + CMSG_TYPE);
            long data = at + CMSG_DATA;
            if (level == LibcConstants.SOL_UDP && type == LibcConstants.UDP_GRO && cmsgLen >= cmsgLen(4)) {
                segment = control.get(JAVA_INT, data);
            } else if (level == LibcConstants.SOL_IPV6 && type == LibcConstants.IPV6_PKTINFO && cmsgLen >= cmsgLen(IN6_PKTINFO_SIZE)) {
                MemorySegment.copy(control, data + IPI6_ADDR, local, 0, 16);
                hasLocal = unicast();
            } else if (level == LibcConstants.SOL_IP && type == LibcConstants.IP_PKTINFO && cmsgLen >= cmsgLen(IN_PKTINFO_SIZE)) {
                local.fill((byte) 0); // in_pktinfo.ipi_addr (the header's destination), as ::ffff:a.b.c.d
                local.set(ValueLayout.JAVA_BYTE, 10, (byte) 0xff);
                local.set(ValueLayout.JAVA_BYTE, 11, (byte) 0xff);
                MemorySegment.copy(control, data + IPI_ADDR, local, 12, 4);
                hasLocal = unicast();
            }
            at += cmsgAlign(cmsgLen);
        }
        return segment;
    }

    /** Whether local is an address one can send from: not IPv6 multicast, not IPv4 multicast or limited broadcast. */
    private boolean unicast() {
        if (local.get(ValueLayout.JAVA_BYTE, 0) == (byte) 0xff) return false;
        if (local.get(JAVA_LONG, 0) == 0 && local.get(ValueLayout.JAVA_SHORT, 8) == 0 && local.get(ValueLayout.JAVA_SHORT, 10) == -1) { // ::ffff:a.b.c.d
            int first = local.get(ValueLayout.JAVA_BYTE, 12) & 0xff;
            return (first & 0xf0) != 0xe0 && local.get(JAVA_INT, 12) != -1;
        }
        return true;
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
