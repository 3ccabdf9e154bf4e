package jwg.netlink;

import java.net.InetAddress;
import java.net.UnknownHostException;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static jwg.netlink.NetlinkConstants.IFADDRMSG_SIZE;
import static jwg.netlink.NetlinkConstants.IFA_ADDRESS;
import static jwg.netlink.NetlinkConstants.IFA_FLAGS;
import static jwg.netlink.NetlinkConstants.IFA_LOCAL;

/**
 * An interface address as rtnetlink reports it (RTM_NEWADDR).
 *
 * @param flags the IFA_F_* flags (IFA_F_NODAD, IFA_F_PERMANENT, ...)
 * @param scope RT_SCOPE_* (0: universe, 253: link, 254: host)
 */
public record AddressInfo(int index, InetAddress address, int prefixLength, int flags, int scope) {

    @Override
    public String toString() {
        return address.getHostAddress() + "/" + prefixLength + " (ifindex " + index + ")";
    }

    static AddressInfo of(NetlinkMessage message) {
        var header = message.payload();
        Attributes attributes = message.attributes(IFADDRMSG_SIZE);
        // IFA_LOCAL is the local address where it differs from IFA_ADDRESS (the peer, point-to-point).
        byte[] raw = attributes.has(IFA_LOCAL) ? attributes.bytes(IFA_LOCAL) : attributes.bytes(IFA_ADDRESS);
        try {
            return new AddressInfo(header.get(JAVA_INT, 4), InetAddress.getByAddress(raw),
                    header.get(JAVA_BYTE, 1) & 0xff,
                    attributes.u32(IFA_FLAGS, header.get(JAVA_BYTE, 2) & 0xff),
                    header.get(JAVA_BYTE, 3) & 0xff);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("RTM_NEWADDR with a " + raw.length + "-byte address", e);
        }
    }
}
