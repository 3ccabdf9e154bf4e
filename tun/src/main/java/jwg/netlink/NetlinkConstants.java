package jwg.netlink;

/**
 * Kernel constants of netlink and rtnetlink, named as in {@code <linux/netlink.h>},
 * {@code <linux/rtnetlink.h>}, {@code <linux/if_link.h>}, {@code <linux/if_addr.h>} and
 * {@code <net/if.h>}. Structure sizes are in bytes; all header fields are in host byte order,
 * addresses in network byte order.
 */
public final class NetlinkConstants {
    private NetlinkConstants() {}

    // <linux/netlink.h>: protocols, socket options, sockaddr_nl
    public static final int NETLINK_ROUTE = 0;
    public static final int SOL_NETLINK = 270;
    public static final int NETLINK_ADD_MEMBERSHIP = 1;
    public static final int NETLINK_CAP_ACK = 10;
    public static final int NETLINK_EXT_ACK = 11;
    /** struct sockaddr_nl { u16 nl_family; u16 nl_pad; u32 nl_pid; u32 nl_groups; } */
    public static final int SOCKADDR_NL_SIZE = 12;

    // struct nlmsghdr { u32 nlmsg_len; u16 nlmsg_type; u16 nlmsg_flags; u32 nlmsg_seq; u32 nlmsg_pid; }
    public static final int NLMSG_HDRLEN = 16;
    public static final int NLMSG_ALIGNTO = 4;
    public static final int NLMSG_NOOP = 1;
    public static final int NLMSG_ERROR = 2;
    public static final int NLMSG_DONE = 3;
    public static final int NLMSG_OVERRUN = 4;

    // nlmsg_flags
    public static final int NLM_F_REQUEST = 0x1;
    public static final int NLM_F_MULTI = 0x2;
    public static final int NLM_F_ACK = 0x4;
    public static final int NLM_F_DUMP_INTR = 0x10;
    public static final int NLM_F_DUMP = 0x300; // NLM_F_ROOT | NLM_F_MATCH, for GET requests
    public static final int NLM_F_EXCL = 0x200; // for NEW requests
    public static final int NLM_F_CREATE = 0x400; // for NEW requests
    public static final int NLM_F_CAPPED = 0x100; // in NLMSG_ERROR: the request's payload was left out
    public static final int NLM_F_ACK_TLVS = 0x200; // in NLMSG_ERROR: extended-ACK attributes follow

    // struct nlmsgerr { int error; struct nlmsghdr msg; ... } then NLMSGERR_ATTR_* attributes
    public static final int NLMSGERR_ATTR_MSG = 1;

    // struct rtattr { u16 rta_len; u16 rta_type; } (= struct nlattr)
    public static final int RTA_HDRLEN = 4;
    public static final int RTA_ALIGNTO = 4;
    public static final int NLA_TYPE_MASK = 0x3fff; // without NLA_F_NESTED, NLA_F_NET_BYTEORDER

    // <linux/rtnetlink.h>: message types
    public static final int RTM_NEWLINK = 16;
    public static final int RTM_DELLINK = 17;
    public static final int RTM_GETLINK = 18;
    public static final int RTM_NEWADDR = 20;
    public static final int RTM_DELADDR = 21;
    public static final int RTM_GETADDR = 22;
    public static final int RTM_NEWROUTE = 24;
    public static final int RTM_DELROUTE = 25;
    public static final int RTM_GETROUTE = 26;
    public static final int RTM_NEWRULE = 32;
    public static final int RTM_DELRULE = 33;
    public static final int RTM_GETRULE = 34;

    // multicast groups (enum rtnetlink_groups)
    public static final int RTNLGRP_LINK = 1;

    // struct ifinfomsg { u8 ifi_family; u8 pad; u16 ifi_type; s32 ifi_index; u32 ifi_flags; u32 ifi_change; }
    public static final int IFINFOMSG_SIZE = 16;
    // <linux/if_link.h>
    public static final int IFLA_IFNAME = 3;
    public static final int IFLA_MTU = 4;
    // <net/if.h>: ifi_flags
    public static final int IFF_UP = 0x1;

    // struct ifaddrmsg { u8 ifa_family; u8 ifa_prefixlen; u8 ifa_flags; u8 ifa_scope; u32 ifa_index; }
    public static final int IFADDRMSG_SIZE = 8;
    // <linux/if_addr.h>
    public static final int IFA_ADDRESS = 1;
    public static final int IFA_LOCAL = 2;
    public static final int IFA_FLAGS = 8;
    public static final int IFA_F_NODAD = 0x02;
    public static final int IFA_F_PERMANENT = 0x80;
    public static final int RT_SCOPE_UNIVERSE = 0;

    public static final int RT_SCOPE_LINK = 253;
    public static final int RT_SCOPE_HOST = 254;
    public static final int RT_SCOPE_NOWHERE = 255;

    // struct rtmsg { u8 family, dst_len, src_len, tos, table, protocol, scope, type; u32 flags; }
    public static final int RTMSG_SIZE = 12;
    // enum rtattr_type_t
    public static final int RTA_DST = 1;
    public static final int RTA_OIF = 4;
    public static final int RTA_GATEWAY = 5;
    public static final int RTA_PRIORITY = 6;
    public static final int RTA_METRICS = 8;
    public static final int RTA_TABLE = 15;
    // RTA_METRICS nests RTAX_* attributes; RTAX_LOCK is a bit mask of locked metrics (1 << RTAX_MTU)
    public static final int RTAX_LOCK = 1;
    public static final int RTAX_MTU = 2;
    // rt_class_t
    public static final int RT_TABLE_UNSPEC = 0;
    public static final int RT_TABLE_DEFAULT = 253;
    public static final int RT_TABLE_MAIN = 254;
    public static final int RT_TABLE_LOCAL = 255;
    // rtm_protocol
    public static final int RTPROT_KERNEL = 2;
    public static final int RTPROT_BOOT = 3; // what ip route add sets unless told otherwise
    // rtm_type
    public static final int RTN_UNICAST = 1;
    // rtm_flags
    public static final int RTM_F_CLONED = 0x200;

    // <linux/fib_rules.h>: struct fib_rule_hdr { u8 family, dst_len, src_len, tos, table, res1, res2, action; u32 flags; }
    public static final int FIB_RULE_HDR_SIZE = 12;
    public static final int FRA_DST = 1;
    public static final int FRA_SRC = 2;
    public static final int FRA_IIFNAME = 3;
    public static final int FRA_PRIORITY = 6;
    public static final int FRA_FWMARK = 10;
    public static final int FRA_SUPPRESS_PREFIXLEN = 14;
    public static final int FRA_TABLE = 15;
    public static final int FRA_FWMASK = 16;
    public static final int FRA_OIFNAME = 17;
    public static final int FRA_PROTOCOL = 21;
    public static final int FR_ACT_UNSPEC = 0;
    public static final int FR_ACT_TO_TBL = 1;
    public static final int FIB_RULE_INVERT = 0x2;
}
