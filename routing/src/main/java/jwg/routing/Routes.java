package jwg.routing;

import java.util.List;

import jwg.netlink.RouteInfo;
import jwg.sys.ErrnoException;

import static jwg.netlink.NetlinkConstants.RTM_F_CLONED;
import static jwg.netlink.NetlinkConstants.RT_TABLE_MAIN;

/** wg-quick's add_route: one AllowedIPs prefix. */
final class Routes {
    private Routes() {}

    /** Adds the route for {@code prefix}; returns whether that set up the firewall (add_default). */
    static boolean add(Context c, StateFile state, Prefix prefix) throws WgQuickException {
        Family family = Family.of(prefix);
        String route = "ip " + family.proto + " route add " + prefix + " dev " + c.name();
        switch (c.spec().table()) {
            case Table.Off off -> {
                return false;
            }
            case Table.Auto auto -> {
                if (prefix.length() == 0) {
                    DefaultRoute.add(c, state, prefix);
                    return true;
                }
                // Not when a route through the interface covers it already, e.g. one for an Address.
                if (!covered(c, family, prefix)) {
                    c.ip(route, () -> c.rtnl().addRoute(prefix.inetAddress(), prefix.length(), c.ifIndex(), RT_TABLE_MAIN));
                }
                return false;
            }
            default -> {
                c.ip(route + " table " + RouteTables.text(c.spec().table()), () -> c.rtnl().addRoute(
                        prefix.inetAddress(), prefix.length(), c.ifIndex(), RouteTables.id(c.host(), c.spec().table())));
                return false;
            }
        }
    }

    /** {@code ip PROTO route show dev IF match PREFIX} is not empty: a main-table route through IF containing it. */
    private static boolean covered(Context c, Family family, Prefix prefix) {
        List<RouteInfo> routes;
        try {
            routes = c.rtnl().routes(family.af);
        } catch (ErrnoException e) {
            return false; // 2>/dev/null: nothing shown
        }
        return routes.stream().anyMatch(r -> r.table() == RT_TABLE_MAIN && r.oif() == c.ifIndex()
                && (r.flags() & RTM_F_CLONED) == 0 && r.destinationLength() <= prefix.length()
                && Prefix.of(r.destination(), r.destinationLength()).masked()
                        .equals(new Prefix(prefix.address(), r.destinationLength()).masked()));
    }
}
