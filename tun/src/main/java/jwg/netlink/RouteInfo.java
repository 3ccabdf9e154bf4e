package jwg.netlink;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static jwg.netlink.NetlinkConstants.RTAX_LOCK;
import static jwg.netlink.NetlinkConstants.RTAX_MTU;
import static jwg.netlink.NetlinkConstants.RTA_DST;
import static jwg.netlink.NetlinkConstants.RTA_METRICS;
import static jwg.netlink.NetlinkConstants.RTA_OIF;
import static jwg.netlink.NetlinkConstants.RTA_PRIORITY;
import static jwg.netlink.NetlinkConstants.RTA_TABLE;
import static jwg.netlink.NetlinkConstants.RTMSG_SIZE;
import static jwg.sys.LibcConstants.AF_INET;

/**
 * A route as rtnetlink reports it (RTM_NEWROUTE from a dump or a route lookup).
 *
 * @param destination the destination prefix's address (all zeros for a default route)
 * @param table the table id (RTA_TABLE, or rtm_table when absent)
 * @param protocol RTPROT_* (RTPROT_KERNEL for routes the kernel adds for addresses, RTPROT_BOOT for ip route add)
 * @param scope RT_SCOPE_*
 * @param type RTN_* (RTN_UNICAST, RTN_LOCAL, ...)
 * @param flags rtm_flags (e.g. RTM_F_CLONED for cached exceptions)
 * @param oif the output interface index (RTA_OIF), 0 if none (e.g. multipath or unreachable)
 * @param priority the metric (RTA_PRIORITY), 0 if absent
 * @param mtu the RTAX_MTU metric, 0 if absent
 * @param mtuLocked whether the MTU metric is locked (ip shows "mtu lock N")
 */
public record RouteInfo(int family, InetAddress destination, int destinationLength, long table, int protocol,
        int scope, int type, int flags, int oif, int priority, int mtu, boolean mtuLocked) {

    @Override
    public String toString() {
        return destination.getHostAddress() + "/" + destinationLength + " oif " + oif + " table " + table;
    }

    static RouteInfo of(NetlinkMessage message) {
        MemorySegment header = message.payload();
        Attributes attributes = message.attributes(RTMSG_SIZE);
        int family = header.get(JAVA_BYTE, 0);
        byte[] destination = attributes.has(RTA_DST) ? attributes.bytes(RTA_DST) : new byte[family == AF_INET ? 4 : 16];
        MemorySegment metrics = attributes.get(RTA_METRICS);
        Attributes rtax = metrics == null ? null : Attributes.parse(metrics);
        int mtu = rtax == null ? 0 : rtax.u32(RTAX_MTU, 0);
        boolean locked = rtax != null && (rtax.u32(RTAX_LOCK, 0) & (1 << RTAX_MTU)) != 0;
        try {
            return new RouteInfo(family, InetAddress.getByAddress(destination), header.get(JAVA_BYTE, 1) & 0xff,
                    Integer.toUnsignedLong(attributes.u32(RTA_TABLE, header.get(JAVA_BYTE, 4) & 0xff)),
                    header.get(JAVA_BYTE, 5) & 0xff, header.get(JAVA_BYTE, 6) & 0xff, header.get(JAVA_BYTE, 7) & 0xff,
                    header.get(JAVA_INT, 8), attributes.u32(RTA_OIF, 0), attributes.u32(RTA_PRIORITY, 0), mtu, locked);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("RTM_NEWROUTE with a " + destination.length + "-byte destination", e);
        }
    }
}
