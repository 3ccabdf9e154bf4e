package jwg.routing;

import java.util.EnumMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import jwg.netlink.RouteInfo;
import jwg.sys.ErrnoException;

import static jwg.netlink.NetlinkConstants.RTM_F_CLONED;
import static jwg.netlink.NetlinkConstants.RT_TABLE_MAIN;

/**
 * wg-quick's add_route, for each AllowedIPs prefix of one bring-up. wg-quick asks {@code ip route
 * show dev IF match PREFIX} before each route; that is one dump of every route per prefix, so with
 * thousands of peers the dumps alone grow quadratically. Here the main-table routes through the
 * interface are dumped once per family, kept as a set of masked prefixes, and each route added is
 * put in it: nothing else changes the main table between two of our steps.
 */
final class Routes {
    private final Context c;
    private final StateFile state;
    /** Per family, the main-table routes through the interface: what covers a prefix. */
    private final Map<Family, Set<Prefix>> through = new EnumMap<>(Family.class);

    Routes(Context c, StateFile state) {
        this.c = c;
        this.state = state;
    }

    /** Adds the route for {@code prefix}; returns whether that set up the firewall (add_default). */
    boolean add(Prefix prefix) throws WgQuickException {
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
                Set<Prefix> routes = through.computeIfAbsent(family, this::dump);
                if (!covered(routes, prefix)) {
                    c.ip(route, () -> c.rtnl().addRoute(prefix.inetAddress(), prefix.length(), c.ifIndex(), RT_TABLE_MAIN));
                    routes.add(prefix.masked());
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

    /** {@code ip PROTO route show dev IF match PREFIX} is not empty: one of routes contains prefix. */
    private static boolean covered(Set<Prefix> routes, Prefix prefix) {
        for (int length = prefix.length(); length >= 0; length--) {
            if (routes.contains(new Prefix(prefix.address(), length).masked())) return true;
        }
        return false;
    }

    /** The main-table routes through the interface, masked (a failed dump shows nothing, as 2>/dev/null). */
    private Set<Prefix> dump(Family family) {
        Set<Prefix> routes = new HashSet<>();
        try {
            for (RouteInfo r : c.rtnl().routes(family.af)) {
                if (r.table() == RT_TABLE_MAIN && r.oif() == c.ifIndex() && (r.flags() & RTM_F_CLONED) == 0) {
                    routes.add(Prefix.of(r.destination(), r.destinationLength()).masked());
                }
            }
        } catch (ErrnoException e) {
            // nothing shown
        }
        return routes;
    }
}
