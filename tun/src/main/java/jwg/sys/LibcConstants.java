package jwg.sys;

/**
 * Constants of the C library and the kernel's syscall ABI used with {@link Libc}, named as in the
 * C headers. Values are those of Linux on x86_64 and aarch64 (both use the generic numbering for
 * everything here).
 */
public final class LibcConstants {
    private LibcConstants() {}

    // <fcntl.h>
    public static final int O_RDONLY = 0;
    public static final int O_WRONLY = 1;
    public static final int O_RDWR = 2;
    public static final int O_NONBLOCK = 0x800;
    public static final int O_CLOEXEC = 0x80000;
    public static final int F_GETFD = 1;
    public static final int F_GETFL = 3;
    public static final int F_SETFL = 4;
    public static final int F_DUPFD_CLOEXEC = 1030;
    public static final int FD_CLOEXEC = 1;

    // <sys/socket.h>
    public static final int AF_UNSPEC = 0;
    public static final int AF_UNIX = 1;
    public static final int AF_INET = 2;
    public static final int AF_INET6 = 10;
    public static final int AF_NETLINK = 16;
    public static final int SOCK_DGRAM = 2;
    public static final int SOCK_RAW = 3;
    public static final int SOCK_NONBLOCK = O_NONBLOCK;
    public static final int SOCK_CLOEXEC = O_CLOEXEC;
    public static final int SOL_SOCKET = 1;
    /** setsockopt(SOL_SOCKET, SO_MARK): the fwmark of the socket's packets (needs CAP_NET_ADMIN). */
    public static final int SO_MARK = 36;
    public static final int SO_SNDBUF = 7;
    public static final int SO_RCVBUF = 8;
    /** SO_SNDBUF and SO_RCVBUF beyond net.core.wmem_max / rmem_max (needs CAP_NET_ADMIN). */
    public static final int SO_SNDBUFFORCE = 32;
    public static final int SO_RCVBUFFORCE = 33;
    public static final int MSG_PEEK = 0x2;
    public static final int MSG_TRUNC = 0x20;
    public static final int MSG_DONTWAIT = 0x40;
    /** In recvmsg's msg_flags: the control data did not fit the buffer given. */
    public static final int MSG_CTRUNC = 0x8;

    // <netinet/udp.h>
    public static final int SOL_UDP = 17;
    /** setsockopt(SOL_UDP, UDP_GRO); in a cmsg of recvmsg, the int size of the segments a read holds. */
    public static final int UDP_GRO = 104;
    /** In a cmsg of sendmsg (SOL_UDP), the u16 size of the datagrams a UDP GSO send is cut into. */
    public static final int UDP_SEGMENT = 103;

    // <netinet/in.h>: IP_PKTINFO / IPV6_PKTINFO, the local address of a datagram
    public static final int SOL_IP = 0;
    public static final int SOL_IPV6 = 41;
    /** setsockopt(SOL_IP, IP_PKTINFO): recvmsg gives each IPv4 datagram's local address; in sendmsg, the source. */
    public static final int IP_PKTINFO = 8;
    /** setsockopt(SOL_IPV6, IPV6_RECVPKTINFO): recvmsg gives IPV6_PKTINFO (also IPv4-mapped on a dual-stack socket). */
    public static final int IPV6_RECVPKTINFO = 49;
    /** The cmsg type of struct in6_pktinfo: the local address of a received datagram, the source of a sent one. */
    public static final int IPV6_PKTINFO = 50;

    // <poll.h>
    public static final int POLLIN = 0x1;
    public static final int POLLOUT = 0x4;

    // <sched.h>
    public static final int CLONE_NEWNET = 0x40000000;
}
