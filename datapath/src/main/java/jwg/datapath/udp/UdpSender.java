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
import static jwg.sys.Structs.IPI6_IFINDEX;
import static jwg.sys.Structs.IPI_ADDR;
import static jwg.sys.Structs.IPI_IFINDEX;
import static jwg.sys.Structs.IPI_SPEC_DST;
import static jwg.sys.Structs.MMSGHDR_SIZE;
import static jwg.sys.Structs.MSG_CONTROL;
import static jwg.sys.Structs.MSG_CONTROLLEN;
import static jwg.sys.Structs.MSG_FLAGS;
import static jwg.sys.Structs.MSG_IOV;
import static jwg.sys.Structs.MSG_IOVLEN;
import static jwg.sys.Structs.MSG_LEN;
import static jwg.sys.Structs.MSG_NAME;
import static jwg.sys.Structs.MSG_NAMELEN;
import static jwg.sys.Structs.SOCKADDR_IN6_SIZE;
import static jwg.sys.Structs.cmsgAlign;
import static jwg.sys.Structs.cmsgLen;
import static jwg.sys.Structs.cmsgSpace;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.unix.Errors;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.Inet6Address;
import java.net.InetAddress;
import jwg.datapath.Limits;
import java.net.InetSocketAddress;
import java.nio.ByteOrder;
import jwg.sys.Errno;
import jwg.sys.Libc;
import jwg.sys.LibcConstants;

/**
 * The send side of the outer UDP socket, written by us rather than by Netty, because Netty's
 * datagram writes cannot carry control data but UDP_SEGMENT: here each datagram (or UDP GSO
 * send) may also carry the source address to answer from ({@link StickySources}, IPV6_PKTINFO on
 * a dual-stack socket, IP_PKTINFO on an IPv4 one).
 *
 * <p>Sends are queued, each straight into its own native struct mmsghdr (iovec over the
 * ByteBuf's memory, destination sockaddr, control data), and go out on {@link #flush} in one
 * sendmmsg per {@link #MAX_QUEUED}. When the socket buffer is full (EAGAIN) the rest stays queued
 * and the transport watches for EPOLLOUT; meanwhile new sends queue up to {@link #HIGH_WATER}
 * bytes or {@link #MAX_QUEUED} datagrams, beyond which they are refused (the caller counts the
 * drop): the bound Netty's outbound buffer had. A datagram the kernel refuses is reported to the
 * receiver and dropped; one refused because its source address is no longer ours goes again
 * without it (the address is forgotten), as the kernel falls back when its cached source is gone.
 * Confined to the event loop; nothing is allocated per datagram (a sockaddr is encoded again only
 * when the destination object changes).
 */
final class UdpSender {
    /** Datagrams per sendmmsg (the kernel's UIO_MAXIOV), and the most that can wait. */
    static final int MAX_QUEUED = 1024;
    /** Queued bytes beyond which sends are refused. */
    static final int HIGH_WATER = Limits.SEND_HIGH_WATER;

    /** sizeof(struct sockaddr_in6), rounded up to 8. */
    private static final long NAME_STRIDE = cmsgAlign(SOCKADDR_IN6_SIZE);
    /** The room of UDP_SEGMENT's u16, IPV6_PKTINFO's and IP_PKTINFO's data, and of the larger two together. */
    private static final long SEGMENT_SPACE = cmsgSpace(2), PKTINFO6_SPACE = cmsgSpace(IN6_PKTINFO_SIZE), PKTINFO4_SPACE = cmsgSpace(IN_PKTINFO_SIZE);
    private static final long CONTROL_STRIDE = SEGMENT_SPACE + PKTINFO6_SPACE;
    private static final ValueLayout.OfShort BE_SHORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    /** What happens to the socket: failed sends are reported, EPOLLOUT is asked for while blocked. */
    interface Events {
        void sendFailed(Throwable cause);

        /** Whether to be told (by {@link #writable}) when the socket can take more. */
        void watchWritable(boolean watch);
    }

    private final int fd;
    private final boolean ipv6Socket;
    private final StickySources sources;
    private final ByteBufAllocator alloc;
    private final Events events;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment mmsg;
    private final MemorySegment iovs;
    private final MemorySegment names;
    private final MemorySegment controls;
    /** Where a destination is encoded before it is copied into a slot (kept for the next send to it). */
    private final MemorySegment scratch;
    /** Where a source address is unpacked from its two longs. */
    private final MemorySegment address;
    private final ByteBuf[] queued = new ByteBuf[MAX_QUEUED];
    private final InetSocketAddress[] destinations = new InetSocketAddress[MAX_QUEUED];
    /** Whether slot i carries a source address (last in its control data). */
    private final boolean[] sourced = new boolean[MAX_QUEUED];
    private int head;
    private int count;
    private long queuedBytes;
    private boolean blocked;
    private boolean closed;
    /** The destination encoded in scratch, and its sockaddr's length. */
    private InetSocketAddress encoded;
    private int encodedLength;

    /**
     * @param ipv6Socket whether fd is an AF_INET6 (dual-stack) socket rather than AF_INET
     * @param sources    where to find the source to send each destination from; null for none
     */
    UdpSender(int fd, boolean ipv6Socket, StickySources sources, ByteBufAllocator alloc, Events events) {
        this.fd = fd;
        this.ipv6Socket = ipv6Socket;
        this.sources = sources;
        this.alloc = alloc;
        this.events = events;
        MemorySegment block = arena.allocate(MAX_QUEUED * (MMSGHDR_SIZE + IOVEC_SIZE + NAME_STRIDE + CONTROL_STRIDE) + 48, 8);
        long at = 0;
        mmsg = block.asSlice(at, MAX_QUEUED * MMSGHDR_SIZE);
        at += mmsg.byteSize();
        iovs = block.asSlice(at, MAX_QUEUED * IOVEC_SIZE);
        at += iovs.byteSize();
        names = block.asSlice(at, MAX_QUEUED * NAME_STRIDE);
        at += names.byteSize();
        controls = block.asSlice(at, MAX_QUEUED * CONTROL_STRIDE);
        at += controls.byteSize();
        scratch = block.asSlice(at, 32);
        address = block.asSlice(at + 32, 16);
        for (int i = 0; i < MAX_QUEUED; i++) {
            long m = i * MMSGHDR_SIZE;
            mmsg.set(JAVA_LONG, m + MSG_NAME, names.address() + i * NAME_STRIDE);
            mmsg.set(JAVA_LONG, m + MSG_IOV, iovs.address() + i * IOVEC_SIZE);
            mmsg.set(JAVA_LONG, m + MSG_IOVLEN, 1);
        }
    }

    /** Room for n more datagrams now (after a flush if that makes room). */
    boolean room(int n) {
        if (count + n > MAX_QUEUED) flush();
        return !closed && count + n <= MAX_QUEUED && queuedBytes < HIGH_WATER;
    }

    /**
     * Queues content for to, taking ownership of it: one datagram, or, with segmentSize &gt; 0 and
     * more bytes than that, a UDP GSO send cut into segmentSize datagrams. False (content
     * released) when there is no room.
     */
    boolean queue(ByteBuf content, int segmentSize, InetSocketAddress to) {
        if (!room(1)) {
            content.release();
            return false;
        }
        int length = content.readableBytes();
        if (!content.hasMemoryAddress()) {
            ByteBuf direct = alloc.directBuffer(length);
            direct.writeBytes(content, content.readerIndex(), length);
            content.release();
            content = direct;
        }
        int nameLength = encode(to);
        if (nameLength < 0) {
            content.release();
            events.sendFailed(Errors.newIOException("sendmmsg", -Errno.EAFNOSUPPORT));
            return true; // as a send the kernel refused: reported, not a backlog
        }
        int i = count;
        MemorySegment.copy(scratch, 0, names, i * NAME_STRIDE, nameLength);
        iovs.set(JAVA_LONG, i * IOVEC_SIZE + IOV_BASE, content.memoryAddress() + content.readerIndex());
        iovs.set(JAVA_LONG, i * IOVEC_SIZE + IOV_LEN, length);
        long c = i * CONTROL_STRIDE;
        long controlLength = 0;
        if (segmentSize > 0 && length > segmentSize) {
            cmsg(c, 2, LibcConstants.SOL_UDP, LibcConstants.UDP_SEGMENT);
            controls.set(ValueLayout.JAVA_SHORT, c + CMSG_DATA, (short) segmentSize);
            controlLength = SEGMENT_SPACE;
        }
        int s = sources == null ? -1 : sources.find(to);
        sourced[i] = s >= 0;
        if (s >= 0) controlLength += source(c + controlLength, s);
        long m = i * MMSGHDR_SIZE;
        mmsg.set(JAVA_INT, m + MSG_NAMELEN, nameLength);
        mmsg.set(JAVA_LONG, m + MSG_CONTROL, controlLength == 0 ? 0 : controls.address() + c);
        mmsg.set(JAVA_LONG, m + MSG_CONTROLLEN, controlLength);
        mmsg.set(JAVA_INT, m + MSG_FLAGS, 0);
        mmsg.set(JAVA_INT, m + MSG_LEN, 0);
        queued[i] = content;
        destinations[i] = to;
        queuedBytes += length;
        count++;
        return true;
    }

    private void cmsg(long at, long dataLength, int level, int type) {
        controls.set(JAVA_LONG, at, cmsgLen(dataLength)); // cmsg_len
        controls.set(JAVA_INT, at + CMSG_LEVEL, level);
        controls.set(JAVA_INT, at + CMSG_TYPE, type);
    }

    /** Writes the pktinfo cmsg with slot s's source at control offset at; returns its CMSG_SPACE. */
    private long source(long at, int s) {
        address.set(JAVA_LONG, 0, sources.first(s));
        address.set(JAVA_LONG, 8, sources.second(s));
        long data = at + CMSG_DATA;
        if (ipv6Socket) { // in6_pktinfo: the source, and ifindex 0, so the route picks the interface
            cmsg(at, IN6_PKTINFO_SIZE, LibcConstants.SOL_IPV6, LibcConstants.IPV6_PKTINFO);
            MemorySegment.copy(address, 0, controls, data + IPI6_ADDR, 16);
            controls.set(JAVA_INT, data + IPI6_IFINDEX, 0);
            controls.set(JAVA_INT, data + IN6_PKTINFO_SIZE, 0); // padding
            return PKTINFO6_SPACE;
        }
        // in_pktinfo: the source is ipi_spec_dst
        cmsg(at, IN_PKTINFO_SIZE, LibcConstants.SOL_IP, LibcConstants.IP_PKTINFO);
        controls.set(JAVA_INT, data + IPI_IFINDEX, 0);
        MemorySegment.copy(address, 12, controls, data + IPI_SPEC_DST, 4);
        controls.set(JAVA_INT, data + IPI_ADDR, 0);
        controls.set(JAVA_INT, data + IN_PKTINFO_SIZE, 0); // padding
        return PKTINFO4_SPACE;
    }

    /** Encodes to as this socket's sockaddr in scratch (kept while to is the same object); its length, or -1. */
    private int encode(InetSocketAddress to) {
        if (to == encoded) return encodedLength;
        InetAddress ip = to.getAddress();
        if (ip == null) return -1;
        byte[] a = ip.getAddress();
        scratch.fill((byte) 0);
        scratch.set(BE_SHORT, 2, (short) to.getPort());
        int length;
        if (ipv6Socket) { // sockaddr_in6 { family, port, flowinfo, addr[16], scope_id }; IPv4 as ::ffff:a.b.c.d
            scratch.set(ValueLayout.JAVA_SHORT, 0, (short) LibcConstants.AF_INET6);
            if (a.length == 4) {
                scratch.set(ValueLayout.JAVA_BYTE, 18, (byte) 0xff);
                scratch.set(ValueLayout.JAVA_BYTE, 19, (byte) 0xff);
                MemorySegment.copy(a, 0, scratch, ValueLayout.JAVA_BYTE, 20, 4);
            } else {
                MemorySegment.copy(a, 0, scratch, ValueLayout.JAVA_BYTE, 8, 16);
                if (ip instanceof Inet6Address v6) scratch.set(JAVA_INT, 24, v6.getScopeId());
            }
            length = (int) SOCKADDR_IN6_SIZE;
        } else { // sockaddr_in { family, port, addr[4], zero[8] }
            if (a.length != 4) return -1;
            scratch.set(ValueLayout.JAVA_SHORT, 0, (short) LibcConstants.AF_INET);
            MemorySegment.copy(a, 0, scratch, ValueLayout.JAVA_BYTE, 4, 4);
            length = 16;
        }
        encoded = to;
        encodedLength = length;
        return length;
    }

    /** Sends what is queued, until done or the socket is full (then the rest waits for {@link #writable}). */
    void flush() {
        if (blocked || closed) return;
        while (head < count) {
            int r = Libc.sendmmsg(fd, mmsg.asSlice(head * MMSGHDR_SIZE), count - head, 0);
            if (r > 0) {
                for (int end = head + r; head < end; head++) release(head);
                continue;
            }
            if (r == -Errno.EINTR) continue;
            if (r == -Errno.EAGAIN) {
                blocked = true;
                events.watchWritable(true);
                return;
            }
            if (r == 0) r = -Errno.EIO; // cannot happen with vlen > 0
            // The datagram at head failed (sendmmsg reports the error of the first one it could not send).
            // A source that is not ours (any more) is ENETUNREACH for IPv4, EINVAL for IPv6: try without it.
            if (sourced[head] && (r == -Errno.ENETUNREACH || r == -Errno.EINVAL || r == -Errno.EADDRNOTAVAIL)) {
                sources.forget(destinations[head]);
                dropSource(head);
                continue;
            }
            events.sendFailed(Errors.newIOException("sendmmsg", r));
            release(head++);
        }
        head = 0;
        count = 0;
    }

    /** The socket can take more again (EPOLLOUT while blocked). */
    void writable() {
        if (!blocked) return;
        blocked = false;
        events.watchWritable(false);
        flush();
    }

    /** Removes the source cmsg (the last one) of slot i. */
    private void dropSource(int i) {
        long m = i * MMSGHDR_SIZE;
        long length = mmsg.get(JAVA_LONG, m + MSG_CONTROLLEN) - (ipv6Socket ? PKTINFO6_SPACE : PKTINFO4_SPACE);
        mmsg.set(JAVA_LONG, m + MSG_CONTROLLEN, length);
        if (length == 0) mmsg.set(JAVA_LONG, m + MSG_CONTROL, 0);
        sourced[i] = false;
    }

    private void release(int i) {
        queuedBytes -= iovs.get(JAVA_LONG, i * IOVEC_SIZE + IOV_LEN);
        queued[i].release();
        queued[i] = null;
        destinations[i] = null;
    }

    /** Number of datagrams waiting (for tests). */
    int queuedCount() {
        return count - head;
    }

    /** Drops what waits and frees the native memory. */
    void close() {
        if (closed) return;
        closed = true;
        for (int i = head; i < count; i++) release(i);
        head = count = 0;
        arena.close();
    }
}
