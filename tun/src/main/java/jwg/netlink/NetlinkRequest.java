package jwg.netlink;

import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;
import static jwg.netlink.NetlinkConstants.FIB_RULE_HDR_SIZE;
import static jwg.netlink.NetlinkConstants.IFADDRMSG_SIZE;
import static jwg.netlink.NetlinkConstants.IFINFOMSG_SIZE;
import static jwg.netlink.NetlinkConstants.NLMSG_ALIGNTO;
import static jwg.netlink.NetlinkConstants.NLMSG_HDRLEN;
import static jwg.netlink.NetlinkConstants.RTA_HDRLEN;
import static jwg.netlink.NetlinkConstants.RTMSG_SIZE;

/**
 * Builds one netlink request in a {@link NetlinkSocket}'s send buffer: the nlmsghdr, then one
 * family header (ifinfomsg, ifaddrmsg, rtmsg, fib_rule_hdr), then rtattr attributes. Obtained
 * from {@link NetlinkSocket#request}; valid until the next request on that socket.
 * <p>
 * A new family header is one more method like {@link #ifaddrmsg}: {@link #reserve} its size and
 * set the fields.
 */
public final class NetlinkRequest {
    private final MemorySegment buf;
    private int length;

    NetlinkRequest(MemorySegment buf) {
        this.buf = buf;
    }

    NetlinkRequest begin(int type, int flags) {
        length = 0;
        reserve(NLMSG_HDRLEN);
        buf.set(JAVA_SHORT, 4, (short) type);
        buf.set(JAVA_SHORT, 6, (short) flags);
        return this;
    }

    /** Appends {@code size} zeroed bytes, padded to 4, and returns their offset. */
    private int reserve(int size) {
        int aligned = align(size, NLMSG_ALIGNTO);
        if (length + aligned > buf.byteSize()) {
            throw new IllegalStateException("netlink request longer than " + buf.byteSize() + " bytes");
        }
        int offset = length;
        buf.asSlice(offset, aligned).fill((byte) 0);
        length += aligned;
        return offset;
    }

    static int align(int n, int to) {
        return (n + to - 1) & -to;
    }

    /** struct ifinfomsg (RTM_*LINK). */
    public NetlinkRequest ifinfomsg(int family, int index, int flags, int change) {
        int o = reserve(IFINFOMSG_SIZE);
        buf.set(JAVA_BYTE, o, (byte) family);
        buf.set(JAVA_INT, o + 4, index);
        buf.set(JAVA_INT, o + 8, flags);
        buf.set(JAVA_INT, o + 12, change);
        return this;
    }

    /** struct ifaddrmsg (RTM_*ADDR). {@code flags} keeps only its low 8 bits; use IFA_FLAGS for more. */
    public NetlinkRequest ifaddrmsg(int family, int prefixLength, int flags, int scope, int index) {
        int o = reserve(IFADDRMSG_SIZE);
        buf.set(JAVA_BYTE, o, (byte) family);
        buf.set(JAVA_BYTE, o + 1, (byte) prefixLength);
        buf.set(JAVA_BYTE, o + 2, (byte) flags);
        buf.set(JAVA_BYTE, o + 3, (byte) scope);
        buf.set(JAVA_INT, o + 4, index);
        return this;
    }

    /** struct rtmsg (RTM_*ROUTE). {@code table} keeps its low 8 bits; tables from 256 on go in RTA_TABLE. */
    public NetlinkRequest rtmsg(int family, int dstLength, int table, int protocol, int scope, int type) {
        int o = reserve(RTMSG_SIZE);
        buf.set(JAVA_BYTE, o, (byte) family);
        buf.set(JAVA_BYTE, o + 1, (byte) dstLength);
        buf.set(JAVA_BYTE, o + 4, (byte) table);
        buf.set(JAVA_BYTE, o + 5, (byte) protocol);
        buf.set(JAVA_BYTE, o + 6, (byte) scope);
        buf.set(JAVA_BYTE, o + 7, (byte) type);
        return this;
    }

    /** struct fib_rule_hdr (RTM_*RULE). {@code table} keeps its low 8 bits; tables from 256 on go in FRA_TABLE. */
    public NetlinkRequest fibRuleHdr(int family, int table, int action, int flags) {
        int o = reserve(FIB_RULE_HDR_SIZE);
        buf.set(JAVA_BYTE, o, (byte) family);
        buf.set(JAVA_BYTE, o + 4, (byte) table);
        buf.set(JAVA_BYTE, o + 7, (byte) action);
        buf.set(JAVA_INT, o + 8, flags);
        return this;
    }

    /** An attribute with raw bytes (e.g. an address, network byte order). */
    public NetlinkRequest attr(int type, byte[] value) {
        int o = attrHeader(type, value.length);
        MemorySegment.copy(value, 0, buf, JAVA_BYTE, o, value.length);
        return this;
    }

    /** An attribute holding a u32 in host byte order. */
    public NetlinkRequest attrU32(int type, int value) {
        buf.set(JAVA_INT, attrHeader(type, 4), value);
        return this;
    }

    /** An attribute holding a NUL-terminated string. */
    public NetlinkRequest attrString(int type, String value) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        int o = attrHeader(type, bytes.length + 1);
        MemorySegment.copy(bytes, 0, buf, JAVA_BYTE, o, bytes.length);
        return this;
    }

    /** Reserves an attribute with a {@code size}-byte value; returns the value's offset. */
    private int attrHeader(int type, int size) {
        int o = reserve(RTA_HDRLEN + size);
        buf.set(JAVA_SHORT, o, (short) (RTA_HDRLEN + size));
        buf.set(JAVA_SHORT, o + 2, (short) type);
        return o + RTA_HDRLEN;
    }

    void addFlags(int flags) {
        buf.set(JAVA_SHORT, 6, (short) (buf.get(JAVA_SHORT, 6) | flags));
    }

    int type() {
        return buf.get(JAVA_SHORT, 4) & 0xffff;
    }

    /** Sets nlmsg_len and nlmsg_seq; returns the length to send. */
    int seal(int seq) {
        buf.set(JAVA_INT, 0, length);
        buf.set(JAVA_INT, 8, seq);
        return length;
    }

    MemorySegment buffer() {
        return buf;
    }
}
