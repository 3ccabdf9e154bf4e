package jwg.netlink;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.IntConsumer;
import java.util.function.IntFunction;

import jwg.sys.Errno;
import jwg.sys.ErrnoException;
import jwg.sys.Libc;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;
import static jwg.netlink.NetlinkConstants.NETLINK_ADD_MEMBERSHIP;
import static jwg.netlink.NetlinkConstants.NETLINK_CAP_ACK;
import static jwg.netlink.NetlinkConstants.NETLINK_EXT_ACK;
import static jwg.netlink.NetlinkConstants.NLMSGERR_ATTR_MSG;
import static jwg.netlink.NetlinkConstants.NLMSG_ALIGNTO;
import static jwg.netlink.NetlinkConstants.NLMSG_DONE;
import static jwg.netlink.NetlinkConstants.NLMSG_ERROR;
import static jwg.netlink.NetlinkConstants.NLMSG_HDRLEN;
import static jwg.netlink.NetlinkConstants.NLMSG_NOOP;
import static jwg.netlink.NetlinkConstants.NLMSG_OVERRUN;
import static jwg.netlink.NetlinkConstants.NLM_F_ACK;
import static jwg.netlink.NetlinkConstants.NLM_F_ACK_TLVS;
import static jwg.netlink.NetlinkConstants.NLM_F_CAPPED;
import static jwg.netlink.NetlinkConstants.NLM_F_DUMP;
import static jwg.netlink.NetlinkConstants.NLM_F_DUMP_INTR;
import static jwg.netlink.NetlinkConstants.NLM_F_REQUEST;
import static jwg.netlink.NetlinkConstants.SOCKADDR_NL_SIZE;
import static jwg.netlink.NetlinkConstants.SOL_NETLINK;
import static jwg.sys.LibcConstants.AF_NETLINK;
import static jwg.sys.LibcConstants.MSG_PEEK;
import static jwg.sys.LibcConstants.MSG_TRUNC;
import static jwg.sys.LibcConstants.SOCK_CLOEXEC;
import static jwg.sys.LibcConstants.SOCK_NONBLOCK;
import static jwg.sys.LibcConstants.SOCK_RAW;

/**
 * A netlink socket: requests with sequence numbers and ACKs, multipart dumps, and multicast
 * subscriptions. Errors come back as {@link ErrnoException}s naming the operation, with the
 * kernel's extended-ACK message when there is one.
 * <p>
 * The socket belongs to the network namespace of the thread that opened it, for its whole life,
 * whichever thread uses it later. Not thread-safe: one request at a time.
 */
public final class NetlinkSocket implements AutoCloseable {
    /** {@link #receive} result: nothing is waiting. */
    public static final int EMPTY = -1;
    /** {@link #receive} result: the kernel dropped messages because the socket's buffer was full (ENOBUFS). */
    public static final int OVERRUN = -2;

    private static final int SEND_BUFFER_SIZE = 8192;
    /** The requests {@link #executeAll} sends in one datagram, at most: a route request is ~60 bytes. */
    private static final int BATCH_BYTES = 16384;
    private static final int RECEIVE_BUFFER_SIZE = 65536;
    /** A dump interrupted by concurrent changes (NLM_F_DUMP_INTR) is retried this often. */
    private static final int DUMP_ATTEMPTS = 10;

    private final String description;
    private final NetlinkRequest request;
    private MemorySegment batchBuffer; // made at the first executeAll
    private MemorySegment receiveBuffer;
    private int fd;
    private int seq;

    private NetlinkSocket(String description, int fd) {
        this.description = description;
        this.fd = fd;
        this.request = new NetlinkRequest(Arena.ofAuto().allocate(SEND_BUFFER_SIZE, 8));
        this.receiveBuffer = Arena.ofAuto().allocate(RECEIVE_BUFFER_SIZE, 8);
    }

    /** A blocking socket for requests to {@code protocol} (e.g. NETLINK_ROUTE). */
    public static NetlinkSocket open(int protocol) throws ErrnoException {
        return create(protocol, 0);
    }

    /** A non-blocking socket receiving the multicast {@code groups} (e.g. RTNLGRP_LINK), for an event loop. */
    public static NetlinkSocket subscribe(int protocol, int... groups) throws ErrnoException {
        NetlinkSocket socket = create(protocol, SOCK_NONBLOCK);
        try {
            for (int group : groups) {
                Errno.check(Libc.setsockoptInt(socket.fd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, group),
                        "setsockopt(NETLINK_ADD_MEMBERSHIP, " + group + ")");
            }
            return socket;
        } catch (ErrnoException e) {
            socket.close();
            throw e;
        }
    }

    private static NetlinkSocket create(int protocol, int typeFlags) throws ErrnoException {
        int fd = Errno.check(Libc.socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC | typeFlags, protocol),
                "socket(AF_NETLINK, " + protocol + ")");
        NetlinkSocket socket = new NetlinkSocket("netlink " + protocol, fd);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment address = arena.allocate(SOCKADDR_NL_SIZE, 4); // nl_pid 0: the kernel assigns one
            address.set(JAVA_SHORT, 0, (short) AF_NETLINK);
            Errno.check(Libc.bind(fd, address), "bind(AF_NETLINK)");
            // Best effort (Linux 4.3 and 4.12): errors without the echoed request, with a message.
            Libc.setsockoptInt(fd, SOL_NETLINK, NETLINK_CAP_ACK, 1);
            Libc.setsockoptInt(fd, SOL_NETLINK, NETLINK_EXT_ACK, 1);
            return socket;
        } catch (ErrnoException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    public int fd() {
        return fd;
    }

    /** Starts a new request (NLM_F_REQUEST is added); it replaces any request not yet sent. */
    public NetlinkRequest request(int type, int flags) {
        return request.begin(type, flags | NLM_F_REQUEST);
    }

    /** Sends {@code request} with NLM_F_ACK and waits for the ACK. */
    public void execute(NetlinkRequest request, String operation) throws ErrnoException {
        execute(request, operation, message -> {});
    }

    /**
     * Sends {@code request} with NLM_F_ACK, passes every reply (e.g. the RTM_NEWLINK answering an
     * RTM_GETLINK) to {@code replies}, and returns on the ACK.
     *
     * @throws ErrnoException the kernel's error, with {@code operation} as the call
     */
    public void execute(NetlinkRequest request, String operation, Consumer<NetlinkMessage> replies)
            throws ErrnoException {
        request.addFlags(NLM_F_ACK);
        transact(request, operation, replies);
    }

    /** The first request of an {@link #executeAll} that failed: its index and the kernel's error. */
    public static final class BatchFailure extends java.io.IOException {
        private final int index;

        BatchFailure(int index, ErrnoException cause) {
            super(cause.getMessage(), cause);
            this.index = index;
        }

        /** The index (from 0) of the request that failed. */
        public int index() {
            return index;
        }

        /** The kernel's error for it. */
        public ErrnoException error() {
            return (ErrnoException) getCause();
        }

        public int errno() {
            return error().errno();
        }
    }

    /**
     * Executes count requests, each made by {@code build.accept(i)} with {@link #request}, as
     * {@link #execute} would one by one, but several to a datagram: only the last of each datagram
     * asks for an ACK, since the kernel answers each request that fails with its error either way
     * and works a datagram's requests in order, so that ACK means every one before it succeeded.
     * Stops after the first datagram with a failure (later requests of that datagram may have been
     * carried out, as a failing request does not stop the kernel's loop). Requests must not expect
     * replies other than their ACK or error.
     *
     * @throws BatchFailure the first request that failed, with its error
     */
    public void executeAll(int count, IntConsumer build, IntFunction<String> operation) throws ErrnoException, BatchFailure {
        if (batchBuffer == null) batchBuffer = Arena.ofAuto().allocate(BATCH_BYTES, 8);
        for (int first = 0; first < count; ) {
            int firstSeq = seq + 1; // the datagram's requests have consecutive sequence numbers
            int length = 0;
            int lastOffset = 0;
            int next = first;
            for (; next < count; next++) {
                build.accept(next);
                int size = request.seal(seq + 1);
                if (size > BATCH_BYTES) throw new IllegalArgumentException("netlink request of " + size + " bytes");
                if (length + size > BATCH_BYTES) break; // the first of the next datagram; made again there
                seq++;
                MemorySegment.copy(request.buffer(), 0, batchBuffer, length, size);
                lastOffset = length;
                length += NetlinkRequest.align(size, NLMSG_ALIGNTO);
            }
            short flags = batchBuffer.get(JAVA_SHORT, lastOffset + 6); // nlmsg_flags of the last: the one ACK
            batchBuffer.set(JAVA_SHORT, lastOffset + 6, (short) (flags | NLM_F_ACK));
            int sent = Libc.sendto(fd, batchBuffer, 0, length, 0, MemorySegment.NULL);
            Errno.check(sent, "sendto(" + description + ") for " + operation.apply(first));
            awaitBatch(first, next - 1, firstSeq, operation);
            first = next;
        }
    }

    /** Reads the answers to requests first..last (sequence numbers from firstSeq) until the ACK of last; throws the first error. */
    private void awaitBatch(int first, int last, int firstSeq, IntFunction<String> operation) throws ErrnoException, BatchFailure {
        BatchFailure failure = null;
        for (;;) {
            int n = receiveDatagram();
            if (n < 0) throw new ErrnoException("recv(" + description + ") for " + operation.apply(first), -n);
            for (int offset = 0; offset < n; ) {
                MemorySegment raw = message(offset, n);
                offset += NetlinkRequest.align((int) raw.byteSize(), NLMSG_ALIGNTO);
                NetlinkMessage message = new NetlinkMessage(raw);
                int index = first + (message.seq() - firstSeq);
                if (index < first || index > last || message.type() != NLMSG_ERROR) continue; // a late answer to an earlier request
                int error = message.payload().get(JAVA_INT, 0);
                if (error != 0 && failure == null) {
                    failure = new BatchFailure(index, new ErrnoException(operation.apply(index), -error, extendedAck(message)));
                }
                if (index == last) {
                    if (failure != null) throw failure;
                    return;
                }
            }
        }
    }

    /**
     * Sends {@code request} as a dump (NLM_F_DUMP) and returns what {@code parser} makes of each
     * reply, nulls left out. Restarts the dump if the kernel flags it inconsistent (changed while
     * being dumped).
     */
    public <T> List<T> dump(NetlinkRequest request, String operation, Function<NetlinkMessage, T> parser)
            throws ErrnoException {
        request.addFlags(NLM_F_DUMP);
        for (int attempt = 0; attempt < DUMP_ATTEMPTS; attempt++) {
            List<T> results = new ArrayList<>();
            boolean interrupted = transact(request, operation, message -> {
                T result = parser.apply(message);
                if (result != null) {
                    results.add(result);
                }
            });
            if (!interrupted) {
                return results;
            }
        }
        throw new ErrnoException(operation, Errno.EINTR, "dump interrupted by changes " + DUMP_ATTEMPTS + " times");
    }

    /** Returns whether a reply carried NLM_F_DUMP_INTR. */
    private boolean transact(NetlinkRequest request, String operation, Consumer<NetlinkMessage> replies)
            throws ErrnoException {
        int expected = ++seq;
        int length = request.seal(expected);
        int sent = Libc.sendto(fd, request.buffer(), 0, length, 0, MemorySegment.NULL);
        Errno.check(sent, "sendto(" + description + ") for " + operation);
        boolean interrupted = false;
        for (;;) {
            int n = receiveDatagram();
            if (n < 0) {
                throw new ErrnoException("recv(" + description + ") for " + operation, -n);
            }
            for (int offset = 0; offset < n; ) {
                MemorySegment raw = message(offset, n);
                offset += NetlinkRequest.align((int) raw.byteSize(), NLMSG_ALIGNTO);
                NetlinkMessage message = new NetlinkMessage(raw);
                if (message.seq() != expected || message.type() == NLMSG_NOOP) {
                    continue; // a late answer to an earlier request
                }
                interrupted |= (message.flags() & NLM_F_DUMP_INTR) != 0;
                switch (message.type()) {
                    case NLMSG_ERROR -> {
                        int error = message.payload().get(JAVA_INT, 0);
                        if (error == 0) {
                            return interrupted;
                        }
                        throw new ErrnoException(operation, -error, extendedAck(message));
                    }
                    case NLMSG_DONE -> {
                        int error = message.payload().byteSize() >= 4 ? message.payload().get(JAVA_INT, 0) : 0;
                        if (error < 0) {
                            throw new ErrnoException(operation, -error);
                        }
                        return interrupted;
                    }
                    case NLMSG_OVERRUN -> throw new ErrnoException(operation, Errno.ENOBUFS, "NLMSG_OVERRUN");
                    default -> replies.accept(message);
                }
            }
        }
    }

    /**
     * Receives one datagram without blocking (on a {@link #subscribe}d socket) and passes each
     * message in it to {@code handler}.
     *
     * @return the number of messages, {@link #EMPTY} or {@link #OVERRUN}
     */
    public int receive(Consumer<NetlinkMessage> handler) throws ErrnoException {
        int n = receiveDatagram();
        if (n == -Errno.EAGAIN) {
            return EMPTY;
        }
        if (n == -Errno.ENOBUFS) {
            return OVERRUN;
        }
        Errno.check(n, "recv(" + description + ")");
        int count = 0;
        for (int offset = 0; offset < n; count++) {
            MemorySegment raw = message(offset, n);
            offset += NetlinkRequest.align((int) raw.byteSize(), NLMSG_ALIGNTO);
            handler.accept(new NetlinkMessage(raw));
        }
        return count;
    }

    /** Receives one whole datagram into the receive buffer, growing it first if needed; -errno on failure. */
    private int receiveDatagram() {
        for (;;) {
            // MSG_PEEK | MSG_TRUNC: the datagram's real length, which may exceed the buffer.
            int size = Libc.recv(fd, receiveBuffer, 0, 0, MSG_PEEK | MSG_TRUNC);
            if (size == -Errno.EINTR) {
                continue;
            }
            if (size < 0) {
                return size;
            }
            if (size > receiveBuffer.byteSize()) {
                receiveBuffer = Arena.ofAuto().allocate(NetlinkRequest.align(size, 4096), 8);
            }
            int n = Libc.recv(fd, receiveBuffer, 0, (int) receiveBuffer.byteSize(), 0);
            if (n != -Errno.EINTR) {
                return n;
            }
        }
    }

    private MemorySegment message(int offset, int end) throws ErrnoException {
        int length = end - offset >= NLMSG_HDRLEN ? receiveBuffer.get(JAVA_INT, offset) : 0;
        if (length < NLMSG_HDRLEN || length > end - offset) {
            throw new ErrnoException("recv(" + description + ")", Errno.EBADMSG,
                    "malformed netlink message at " + offset + " of " + end);
        }
        return receiveBuffer.asSlice(offset, length);
    }

    /** The NLMSGERR_ATTR_MSG text of an NLMSG_ERROR, or null. */
    private static String extendedAck(NetlinkMessage error) {
        if ((error.flags() & NLM_F_ACK_TLVS) == 0) {
            return null;
        }
        MemorySegment payload = error.payload();
        int echoed = (error.flags() & NLM_F_CAPPED) != 0 ? NLMSG_HDRLEN : payload.get(JAVA_INT, 4);
        int start = NetlinkRequest.align(4 + echoed, NLMSG_ALIGNTO);
        return start < payload.byteSize()
                ? Attributes.parse(payload.asSlice(start)).string(NLMSGERR_ATTR_MSG)
                : null;
    }

    @Override
    public void close() {
        if (fd >= 0) {
            Libc.close(fd);
            fd = -1;
        }
    }
}
