package jwg.netlink;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static jwg.netlink.NetlinkConstants.IFF_UP;
import static jwg.netlink.NetlinkConstants.IFINFOMSG_SIZE;
import static jwg.netlink.NetlinkConstants.IFLA_IFNAME;
import static jwg.netlink.NetlinkConstants.IFLA_MTU;

/**
 * A network interface as rtnetlink reports it (RTM_NEWLINK / RTM_DELLINK).
 *
 * @param flags the IFF_* flags (IFF_UP, IFF_RUNNING, ...)
 */
public record LinkInfo(int index, String name, int mtu, int flags) {

    /** Administratively up (IFF_UP). */
    public boolean isUp() {
        return (flags & IFF_UP) != 0;
    }

    static LinkInfo of(NetlinkMessage message) {
        Attributes attributes = message.attributes(IFINFOMSG_SIZE);
        return new LinkInfo(message.payload().get(JAVA_INT, 4), attributes.string(IFLA_IFNAME),
                attributes.u32(IFLA_MTU, 0), message.payload().get(JAVA_INT, 8));
    }
}
