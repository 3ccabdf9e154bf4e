package jwg.routing;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;

import jwg.netlink.RouteInfo;
import jwg.sys.ErrnoException;

import static jwg.netlink.NetlinkConstants.RTM_F_CLONED;
import static jwg.netlink.NetlinkConstants.RT_TABLE_MAIN;
import static jwg.sys.LibcConstants.AF_INET;

/** wg-quick's set_mtu_up: the MTU, given or automatic, and the link up. */
final class Mtu {
    /** WireGuard's overhead over IPv6: 40 (IPv6) + 8 (UDP) + 32 (WireGuard header and tag). */
    private static final int OVERHEAD = 80;
    private static final int UNSET = Integer.MAX_VALUE;

    private Mtu() {}

    static void setUp(Context c) throws WgQuickException {
        int mtu = c.spec().mtu().isPresent() ? c.spec().mtu().getAsInt() : automatic(c) - OVERHEAD;
        c.ip("ip link set mtu " + mtu + " up dev " + c.name(), () -> {
            c.rtnl().setMtu(c.ifIndex(), mtu);
            c.rtnl().setLinkUp(c.ifIndex(), true);
        });
    }

    /**
     * The smallest MTU of the routes towards the endpoints ({@code ip route get}: the route's MTU,
     * else its device's), else that of the first default route of the main table, else 1500.
     */
    private static int automatic(Context c) {
        int mtu = UNSET;
        for (InetSocketAddress endpoint : c.spec().endpoints()) {
            InetAddress address = endpoint.getAddress();
            // wg-quick's endpoint pattern has no room for an IPv6 scope ("%eth0").
            if (address == null || address instanceof Inet6Address v6 && v6.getScopeId() != 0) {
                continue;
            }
            try {
                int candidate = mtuOf(c, c.rtnl().routeGet(address));
                if (candidate > 0 && candidate < mtu) {
                    mtu = candidate;
                }
            } catch (ErrnoException e) {
                // ip route get failed: no route to this endpoint ("|| true")
            }
        }
        if (mtu == UNSET) {
            try {
                RouteInfo first = c.rtnl().routes(AF_INET).stream()
                        .filter(r -> r.table() == RT_TABLE_MAIN && r.destinationLength() == 0
                                && (r.flags() & RTM_F_CLONED) == 0)
                        .findFirst().orElse(null);
                int candidate = first == null ? 0 : mtuOf(c, first);
                if (candidate > 0) {
                    mtu = candidate;
                }
            } catch (ErrnoException e) {
                // ip route show default failed ("|| true")
            }
        }
        return mtu > 0 && mtu < UNSET ? mtu : 1500;
    }

    /** The "mtu N" ip prints for the route (not "mtu lock N"), else the MTU of its device, else 0. */
    private static int mtuOf(Context c, RouteInfo route) {
        if (route.mtu() > 0 && !route.mtuLocked()) {
            return route.mtu();
        }
        if (route.oif() == 0) {
            return 0;
        }
        try {
            return c.rtnl().link(route.oif()).mtu();
        } catch (ErrnoException e) {
            return 0;
        }
    }
}
