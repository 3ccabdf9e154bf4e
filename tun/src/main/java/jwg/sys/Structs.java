package jwg.sys;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.MemoryLayout.paddingLayout;
import static java.lang.foreign.MemoryLayout.sequenceLayout;
import static java.lang.foreign.MemoryLayout.structLayout;
import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.StructLayout;

/**
 * The C structs that the datapath's socket calls share with the kernel, as memory layouts with
 * the names of the C headers (LP64 Linux: x86_64 and aarch64 lay them out alike), and their field
 * offsets as constants for the code that reads and writes them. StructsTest compiles a C program
 * against the system's headers and checks every size and offset here against offsetof and sizeof.
 * Pointers are written as longs (their address), so each pointer field is an {@code ADDRESS}.
 */
public final class Structs {
    private Structs() {}

    /** struct iovec (&lt;sys/uio.h&gt;). */
    public static final StructLayout IOVEC = structLayout(
            ADDRESS.withName("iov_base"),
            JAVA_LONG.withName("iov_len"));

    /** struct msghdr (&lt;sys/socket.h&gt;), of recvmsg(2) and sendmsg(2). */
    public static final StructLayout MSGHDR = structLayout(
            ADDRESS.withName("msg_name"),
            JAVA_INT.withName("msg_namelen"),
            paddingLayout(4),
            ADDRESS.withName("msg_iov"),
            JAVA_LONG.withName("msg_iovlen"),
            ADDRESS.withName("msg_control"),
            JAVA_LONG.withName("msg_controllen"),
            JAVA_INT.withName("msg_flags"),
            paddingLayout(4));

    /** struct mmsghdr (&lt;sys/socket.h&gt;), of sendmmsg(2) and recvmmsg(2): a msghdr and what was sent or read. */
    public static final StructLayout MMSGHDR = structLayout(
            MSGHDR.withName("msg_hdr"),
            JAVA_INT.withName("msg_len"),
            paddingLayout(4));

    /** struct cmsghdr (&lt;sys/socket.h&gt;): the header of each control message; its data follows at {@link #CMSG_DATA}. */
    public static final StructLayout CMSGHDR = structLayout(
            JAVA_LONG.withName("cmsg_len"),
            JAVA_INT.withName("cmsg_level"),
            JAVA_INT.withName("cmsg_type"));

    /** struct in6_pktinfo (&lt;netinet/in.h&gt;): IPV6_PKTINFO's data. */
    public static final StructLayout IN6_PKTINFO = structLayout(
            sequenceLayout(16, JAVA_BYTE).withName("ipi6_addr"),
            JAVA_INT.withName("ipi6_ifindex"));

    /** struct in_pktinfo (&lt;netinet/in.h&gt;): IP_PKTINFO's data. */
    public static final StructLayout IN_PKTINFO = structLayout(
            JAVA_INT.withName("ipi_ifindex"),
            JAVA_INT.withName("ipi_spec_dst"),
            JAVA_INT.withName("ipi_addr"));

    /** struct sockaddr_in6 (&lt;netinet/in.h&gt;), which is large enough for a sockaddr_in too. */
    public static final StructLayout SOCKADDR_IN6 = structLayout(
            JAVA_SHORT.withName("sin6_family"),
            JAVA_SHORT.withName("sin6_port"),
            JAVA_INT.withName("sin6_flowinfo"),
            sequenceLayout(16, JAVA_BYTE).withName("sin6_addr"),
            JAVA_INT.withName("sin6_scope_id"));

    public static final long IOVEC_SIZE = IOVEC.byteSize();
    public static final long IOV_BASE = offset(IOVEC, "iov_base"), IOV_LEN = offset(IOVEC, "iov_len");

    public static final long MSGHDR_SIZE = MSGHDR.byteSize();
    public static final long MSG_NAME = offset(MSGHDR, "msg_name");
    public static final long MSG_NAMELEN = offset(MSGHDR, "msg_namelen");
    public static final long MSG_IOV = offset(MSGHDR, "msg_iov");
    public static final long MSG_IOVLEN = offset(MSGHDR, "msg_iovlen");
    public static final long MSG_CONTROL = offset(MSGHDR, "msg_control");
    public static final long MSG_CONTROLLEN = offset(MSGHDR, "msg_controllen");
    public static final long MSG_FLAGS = offset(MSGHDR, "msg_flags");

    public static final long MMSGHDR_SIZE = MMSGHDR.byteSize();
    /** Where a mmsghdr's msg_len is (its msghdr's fields are at their msghdr offsets). */
    public static final long MSG_LEN = offset(MMSGHDR, "msg_len");

    public static final long CMSG_LEVEL = offset(CMSGHDR, "cmsg_level"), CMSG_TYPE = offset(CMSGHDR, "cmsg_type");
    /** CMSG_DATA(cmsg) - cmsg: where a control message's data begins. */
    public static final long CMSG_DATA = cmsgAlign(CMSGHDR.byteSize());

    public static final long IN6_PKTINFO_SIZE = IN6_PKTINFO.byteSize();
    public static final long IPI6_ADDR = offset(IN6_PKTINFO, "ipi6_addr"), IPI6_IFINDEX = offset(IN6_PKTINFO, "ipi6_ifindex");
    public static final long IN_PKTINFO_SIZE = IN_PKTINFO.byteSize();
    public static final long IPI_IFINDEX = offset(IN_PKTINFO, "ipi_ifindex");
    public static final long IPI_SPEC_DST = offset(IN_PKTINFO, "ipi_spec_dst"), IPI_ADDR = offset(IN_PKTINFO, "ipi_addr");

    public static final long SOCKADDR_IN6_SIZE = SOCKADDR_IN6.byteSize();

    /** CMSG_ALIGN: control messages are laid out at multiples of sizeof(size_t). */
    public static long cmsgAlign(long length) {
        return (length + 7) & ~7L;
    }

    /** CMSG_LEN(length): the cmsg_len of a control message with length bytes of data. */
    public static long cmsgLen(long length) {
        return CMSG_DATA + length;
    }

    /** CMSG_SPACE(length): the room a control message with length bytes of data takes, padding included. */
    public static long cmsgSpace(long length) {
        return CMSG_DATA + cmsgAlign(length);
    }

    private static long offset(StructLayout layout, String field) {
        return layout.byteOffset(groupElement(field));
    }
}
