package jwg.netlink;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

import jwg.sys.ErrnoException;

import static jwg.netlink.NetlinkConstants.FRA_FWMARK;
import static jwg.netlink.NetlinkConstants.FRA_FWMASK;
import static jwg.netlink.NetlinkConstants.FRA_PRIORITY;
import static jwg.netlink.NetlinkConstants.FRA_SUPPRESS_PREFIXLEN;
import static jwg.netlink.NetlinkConstants.FRA_TABLE;
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
import static jwg.netlink.NetlinkConstants.RTA_DST;
import static jwg.netlink.NetlinkConstants.RTA_OIF;
import static jwg.netlink.NetlinkConstants.RTA_TABLE;
import static jwg.netlink.NetlinkConstants.RTM_DELLINK;
import static jwg.netlink.NetlinkConstants.RTM_DELROUTE;
import static jwg.netlink.NetlinkConstants.RTM_DELRULE;
import static jwg.netlink.NetlinkConstants.RTM_GETROUTE;
import static jwg.netlink.NetlinkConstants.RTM_GETRULE;
import static jwg.netlink.NetlinkConstants.RTM_NEWROUTE;
import static jwg.netlink.NetlinkConstants.RTM_NEWRULE;
import static jwg.netlink.NetlinkConstants.RTN_UNICAST;
import static jwg.netlink.NetlinkConstants.RTPROT_BOOT;
import static jwg.netlink.NetlinkConstants.RT_SCOPE_HOST;
import static jwg.netlink.NetlinkConstants.RT_SCOPE_LINK;
import static jwg.netlink.NetlinkConstants.RT_SCOPE_NOWHERE;
import static jwg.netlink.NetlinkConstants.RT_TABLE_UNSPEC;
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
 * Routes and policy routing rules too (what {@code ip route} and {@code ip rule} do): requests
 * are built as iproute2 builds them, so the kernel's state is the same as after the equivalent
 * {@code ip} command.
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

    /** The interface with index {@code index}. @throws ErrnoException ENODEV if there is none */
    public LinkInfo link(int index) throws ErrnoException {
        List<LinkInfo> found = new ArrayList<>(1);
        NetlinkRequest request = socket.request(RTM_GETLINK, 0).ifinfomsg(AF_UNSPEC, index, 0, 0);
        socket.execute(request, "RTM_GETLINK(ifindex " + index + ")", message -> {
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
        // As iproute2: IFA_LOCAL and IFA_ADDRESS both the address (no peer), flags also as IFA_FLAGS,
        // scope host for IPv4 loopback addresses (127.0.0.0/8; the kernel picks IPv6 scopes itself).
        int scope = family == AF_INET && raw[0] == 127 ? RT_SCOPE_HOST : RT_SCOPE_UNIVERSE;
        return socket.request(type, requestFlags)
                .ifaddrmsg(family, prefixLength, flags, scope, index)
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

    /**
     * {@code ip route add DESTINATION/LENGTH dev OIF table TABLE}: a unicast route through the
     * interface, protocol boot, scope link for IPv4 (universe for IPv6), as iproute2 sends it.
     *
     * @throws ErrnoException EEXIST if the table has that route already
     */
    public void addRoute(InetAddress destination, int length, int oif, long table) throws ErrnoException {
        NetlinkRequest request = routeRequest(RTM_NEWROUTE, NLM_F_CREATE | NLM_F_EXCL, destination, length, oif, table);
        socket.execute(request, "RTM_NEWROUTE(" + routeText(destination, length, oif, table) + ")");
    }

    /** A route as {@link #addRoute} takes it, for {@link #addRoutes}. */
    public record Route(InetAddress destination, int length, int oif, long table) {}

    /**
     * {@link #addRoute} of each route, in order, many to a netlink datagram: for thousands of
     * AllowedIPs prefixes, a datagram and an ACK per few hundred routes instead of per route.
     *
     * @throws NetlinkSocket.BatchFailure the first route that failed (its index), e.g. EEXIST
     * @throws ErrnoException the socket failed
     */
    public void addRoutes(List<Route> routes) throws ErrnoException, NetlinkSocket.BatchFailure {
        socket.executeAll(routes.size(), i -> {
            Route r = routes.get(i);
            routeRequest(RTM_NEWROUTE, NLM_F_CREATE | NLM_F_EXCL, r.destination(), r.length(), r.oif(), r.table());
        }, i -> {
            Route r = routes.get(i);
            return "RTM_NEWROUTE(" + routeText(r.destination(), r.length(), r.oif(), r.table()) + ")";
        });
    }

    /** {@code ip route delete DESTINATION/LENGTH dev OIF table TABLE}. @throws ErrnoException ESRCH if absent */
    public void deleteRoute(InetAddress destination, int length, int oif, long table) throws ErrnoException {
        NetlinkRequest request = routeRequest(RTM_DELROUTE, 0, destination, length, oif, table);
        socket.execute(request, "RTM_DELROUTE(" + routeText(destination, length, oif, table) + ")");
    }

    private NetlinkRequest routeRequest(int type, int flags, InetAddress destination, int length, int oif, long table) {
        byte[] raw = destination.getAddress();
        if (length < 0 || length > raw.length * 8) {
            throw new IllegalArgumentException("prefix length " + length + " for " + destination.getHostAddress());
        }
        boolean v4 = destination instanceof Inet4Address;
        // iproute2: protocol boot, unicast, scope link (IPv4 without gateway) for add; for delete
        // protocol and type unspecified and scope nowhere (IPv4), which match any.
        int protocol = type == RTM_NEWROUTE ? RTPROT_BOOT : 0;
        int routeType = type == RTM_NEWROUTE ? RTN_UNICAST : 0;
        int scope = !v4 ? RT_SCOPE_UNIVERSE : type == RTM_NEWROUTE ? RT_SCOPE_LINK : RT_SCOPE_NOWHERE;
        NetlinkRequest request = socket.request(type, flags)
                .rtmsg(v4 ? AF_INET : AF_INET6, length, smallTable(table), protocol, scope, routeType);
        if (table >= 256) {
            request.attrU32(RTA_TABLE, (int) table);
        }
        return request.attr(RTA_DST, raw).attrU32(RTA_OIF, oif);
    }

    private static String routeText(InetAddress destination, int length, int oif, long table) {
        return destination.getHostAddress() + "/" + length + ", ifindex " + oif + ", table " + table;
    }

    /** The routes of {@code family} (AF_INET, AF_INET6) in all tables, in the kernel's order. */
    public List<RouteInfo> routes(int family) throws ErrnoException {
        NetlinkRequest request = socket.request(RTM_GETROUTE, 0).rtmsg(family, 0, 0, 0, 0, 0);
        return socket.dump(request, "RTM_GETROUTE(dump)",
                message -> message.type() == RTM_NEWROUTE ? RouteInfo.of(message) : null);
    }

    /**
     * {@code ip route get DESTINATION}: the route the kernel would use (with the output interface
     * and any MTU, including a cached path MTU).
     *
     * @throws ErrnoException e.g. ENETUNREACH when there is no route
     */
    public RouteInfo routeGet(InetAddress destination) throws ErrnoException {
        byte[] raw = destination.getAddress();
        List<RouteInfo> found = new ArrayList<>(1);
        NetlinkRequest request = socket.request(RTM_GETROUTE, 0)
                .rtmsg(destination instanceof Inet4Address ? AF_INET : AF_INET6, raw.length * 8, 0, 0, 0, 0)
                .attr(RTA_DST, raw);
        socket.execute(request, "RTM_GETROUTE(" + destination.getHostAddress() + ")", message -> {
            if (message.type() == RTM_NEWROUTE) {
                found.add(RouteInfo.of(message));
            }
        });
        return found.getFirst();
    }

    /** {@code ip rule add ...}. @throws ErrnoException EEXIST if an identical rule exists */
    public void addRule(FibRule rule) throws ErrnoException {
        socket.execute(ruleRequest(RTM_NEWRULE, NLM_F_CREATE | NLM_F_EXCL, rule), "RTM_NEWRULE(" + rule + ")");
    }

    /** {@code ip rule delete ...}: the first rule matching what {@code rule} gives. @throws ErrnoException ENOENT if none */
    public void deleteRule(FibRule rule) throws ErrnoException {
        socket.execute(ruleRequest(RTM_DELRULE, 0, rule), "RTM_DELRULE(" + rule + ")");
    }

    private NetlinkRequest ruleRequest(int type, int flags, FibRule rule) {
        if (rule.hasOtherSelectors()) {
            throw new IllegalArgumentException("rules with from, to, tos, iif or oif selectors are not supported: " + rule);
        }
        NetlinkRequest request = socket.request(type, flags)
                .fibRuleHdr(rule.family(), smallTable(rule.table()), rule.action(), rule.flags());
        if (rule.table() >= 256) {
            request.attrU32(FRA_TABLE, (int) rule.table());
        }
        if (rule.priority() != null) {
            request.attrU32(FRA_PRIORITY, rule.priority());
        }
        if (rule.fwmark() != null) {
            request.attrU32(FRA_FWMARK, rule.fwmark());
        }
        if (rule.fwmask() != null) {
            request.attrU32(FRA_FWMASK, rule.fwmask());
        }
        if (rule.suppressPrefixLength() != null) {
            request.attrU32(FRA_SUPPRESS_PREFIXLEN, rule.suppressPrefixLength());
        }
        return request;
    }

    /** The rules of {@code family}, in the kernel's order (by priority). */
    public List<FibRule> rules(int family) throws ErrnoException {
        NetlinkRequest request = socket.request(RTM_GETRULE, 0).fibRuleHdr(family, 0, 0, 0);
        return socket.dump(request, "RTM_GETRULE(dump)",
                message -> message.type() == RTM_NEWRULE ? FibRule.of(message) : null);
    }

    /** The header's 8-bit table field as iproute2 fills it: the id below 256, else RT_TABLE_UNSPEC. */
    private static int smallTable(long table) {
        if (table < 0 || table > 0xffff_ffffL) {
            throw new IllegalArgumentException("table id out of range: " + table);
        }
        return table < 256 ? (int) table : RT_TABLE_UNSPEC;
    }

    @Override
    public void close() {
        socket.close();
    }
}
