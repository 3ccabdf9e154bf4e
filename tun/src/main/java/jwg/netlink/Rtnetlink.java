package jwg.netlink;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

import jwg.sys.ErrnoException;

import static jwg.netlink.NetlinkConstants.IFA_ADDRESS;
import static jwg.netlink.NetlinkConstants.IFA_FLAGS;
import static jwg.netlink.NetlinkConstants.IFA_LOCAL;
import static jwg.netlink.NetlinkConstants.IFF_UP;
import static jwg.netlink.NetlinkConstants.IFLA_IFNAME;
import static jwg.netlink.NetlinkConstants.IFLA_MTU;
import static jwg.netlink.NetlinkConstants.NETLINK_ROUTE;
import static jwg.netlink.NetlinkConstants.NLM_F_CREATE;
import static jwg.netlink.NetlinkConstants.NLM_F_EXCL;
import static jwg.netlink.NetlinkConstants.RTM_DELADDR;
import static jwg.netlink.NetlinkConstants.RTM_DELLINK;
import static jwg.netlink.NetlinkConstants.RTM_GETADDR;
import static jwg.netlink.NetlinkConstants.RTM_GETLINK;
import static jwg.netlink.NetlinkConstants.RTM_NEWADDR;
import static jwg.netlink.NetlinkConstants.RTM_NEWLINK;
import static jwg.netlink.NetlinkConstants.RT_SCOPE_UNIVERSE;
import static jwg.sys.LibcConstants.AF_INET;
import static jwg.sys.LibcConstants.AF_INET6;
import static jwg.sys.LibcConstants.AF_UNSPEC;

/**
 * Interface and address configuration over rtnetlink (what {@code ip link} and {@code ip addr}
 * do). Works in the network namespace of the thread that called {@link #open}. Not thread-safe.
 * Every failure is an {@link ErrnoException} naming the request, e.g. ENODEV for an unknown
 * interface, EEXIST for an address already present.
 * <p>
 * Routes and rules belong here too: build the request with {@link NetlinkSocket#request}, add the
 * family header to {@link NetlinkRequest} (rtmsg, fib_rule_hdr) and the RTA_* / FRA_* attributes
 * with {@link NetlinkRequest#attrU32} and {@link NetlinkRequest#attr}.
 */
public final class Rtnetlink implements AutoCloseable {
    private final NetlinkSocket socket;

    private Rtnetlink(NetlinkSocket socket) {
        this.socket = socket;
    }

    public static Rtnetlink open() throws ErrnoException {
        return new Rtnetlink(NetlinkSocket.open(NETLINK_ROUTE));
    }

    /** The interface called {@code name}. @throws ErrnoException ENODEV if there is none */
    public LinkInfo link(String name) throws ErrnoException {
        List<LinkInfo> found = new ArrayList<>(1);
        NetlinkRequest request = socket.request(RTM_GETLINK, 0)
                .ifinfomsg(AF_UNSPEC, 0, 0, 0)
                .attrString(IFLA_IFNAME, name);
        socket.execute(request, "RTM_GETLINK(" + name + ")", message -> {
            if (message.type() == RTM_NEWLINK) {
                found.add(LinkInfo.of(message));
            }
        });
        return found.getFirst();
    }

    /** The index of the interface called {@code name}. @throws ErrnoException ENODEV if there is none */
    public int linkIndex(String name) throws ErrnoException {
        return link(name).index();
    }

    /** All interfaces of the namespace. */
    public List<LinkInfo> links() throws ErrnoException {
        NetlinkRequest request = socket.request(RTM_GETLINK, 0).ifinfomsg(AF_UNSPEC, 0, 0, 0);
        return socket.dump(request, "RTM_GETLINK(dump)",
                message -> message.type() == RTM_NEWLINK ? LinkInfo.of(message) : null);
    }

    /** Sets the interface administratively up or down (IFF_UP). */
    public void setLinkUp(int index, boolean up) throws ErrnoException {
        NetlinkRequest request = socket.request(RTM_NEWLINK, 0).ifinfomsg(AF_UNSPEC, index, up ? IFF_UP : 0, IFF_UP);
        socket.execute(request, "RTM_NEWLINK(ifindex " + index + (up ? ", up)" : ", down)"));
    }

    public void setMtu(int index, int mtu) throws ErrnoException {
        NetlinkRequest request = socket.request(RTM_NEWLINK, 0).ifinfomsg(AF_UNSPEC, index, 0, 0).attrU32(IFLA_MTU, mtu);
        socket.execute(request, "RTM_NEWLINK(ifindex " + index + ", mtu " + mtu + ")");
    }

    public void deleteLink(int index) throws ErrnoException {
        NetlinkRequest request = socket.request(RTM_DELLINK, 0).ifinfomsg(AF_UNSPEC, index, 0, 0);
        socket.execute(request, "RTM_DELLINK(ifindex " + index + ")");
    }

    /** Adds {@code address/prefixLength} to the interface. @throws ErrnoException EEXIST if present */
    public void addAddress(int index, InetAddress address, int prefixLength) throws ErrnoException {
        addAddress(index, address, prefixLength, 0);
    }

    /**
     * Adds {@code address/prefixLength} with IFA_F_* {@code flags}, e.g. IFA_F_NODAD so that an
     * IPv6 address is usable at once instead of tentative during duplicate address detection.
     */
    public void addAddress(int index, InetAddress address, int prefixLength, int flags) throws ErrnoException {
        NetlinkRequest request = addressRequest(RTM_NEWADDR, NLM_F_CREATE | NLM_F_EXCL, index, address, prefixLength, flags);
        socket.execute(request, "RTM_NEWADDR(" + address.getHostAddress() + "/" + prefixLength + ", ifindex " + index + ")");
    }

    /** @throws ErrnoException EADDRNOTAVAIL if the interface has no such address */
    public void deleteAddress(int index, InetAddress address, int prefixLength) throws ErrnoException {
        NetlinkRequest request = addressRequest(RTM_DELADDR, 0, index, address, prefixLength, 0);
        socket.execute(request, "RTM_DELADDR(" + address.getHostAddress() + "/" + prefixLength + ", ifindex " + index + ")");
    }

    private NetlinkRequest addressRequest(int type, int requestFlags, int index, InetAddress address, int prefixLength,
            int flags) {
        int family = address instanceof Inet4Address ? AF_INET : AF_INET6;
        byte[] raw = address.getAddress();
        if (prefixLength < 0 || prefixLength > raw.length * 8) {
            throw new IllegalArgumentException("prefix length " + prefixLength + " for " + address.getHostAddress());
        }
        // As iproute2: IFA_LOCAL and IFA_ADDRESS both the address (no peer), flags also as IFA_FLAGS.
        return socket.request(type, requestFlags)
                .ifaddrmsg(family, prefixLength, flags, RT_SCOPE_UNIVERSE, index)
                .attr(IFA_LOCAL, raw)
                .attr(IFA_ADDRESS, raw)
                .attrU32(IFA_FLAGS, flags);
    }

    /** The IPv4 and IPv6 addresses of interface {@code index}. */
    public List<AddressInfo> addresses(int index) throws ErrnoException {
        NetlinkRequest request = socket.request(RTM_GETADDR, 0).ifaddrmsg(AF_UNSPEC, 0, 0, 0, 0);
        return socket.dump(request, "RTM_GETADDR(dump)", message -> {
            if (message.type() != RTM_NEWADDR) {
                return null;
            }
            AddressInfo address = AddressInfo.of(message);
            return address.index() == index ? address : null;
        });
    }

    @Override
    public void close() {
        socket.close();
    }
}
