package jwg.routing;

import jwg.net.IpPrefix;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jwg.netlink.NetlinkSocket;
import jwg.netlink.RouteInfo;
import jwg.netlink.Rtnetlink;
import jwg.sys.ErrnoException;
import jwg.sys.Libc;

import static jwg.netlink.NetlinkConstants.RTM_F_CLONED;
import static jwg.netlink.NetlinkConstants.RT_TABLE_MAIN;

/**
 * wg-quick's add_route, for each AllowedIPs prefix of one bring-up. wg-quick asks {@code ip route
 * show dev IF match PREFIX} before each route; that is one dump of every route per prefix, so with
 * thousands of peers the dumps alone grow quadratically. Here the main-table routes through the
 * interface are dumped once per family, kept as a set of masked prefixes, and each route added is
 * put in it: nothing else changes the main table between two of our steps.
 *
 * <p>The routes are sent to the kernel many to a netlink datagram ({@link #flush}, before a
 * default route and after the last prefix; a file of 10,000 peers with a prefix each made 10,000
 * round trips), and printed as wg-quick prints them, one line each, once sent: up to the one that
 * failed, whose command ends the bring-up as wg-quick's does. The kernel carries on with the
 * routes after it in its datagram; the failed up then deletes the interface, and them with it.
 */
final class Routes {
    private final Context c;
    private final StateFile state;
    /** Per family, the main-table routes through the interface: what covers a prefix. */
    private final Map<Family, Set<IpPrefix>> through = new EnumMap<>(Family.class);
    /** Routes not yet sent, with their commands (printed when sent). */
    private final List<Rtnetlink.Route> pending = new ArrayList<>();
    private final List<String> pendingCommands = new ArrayList<>();
    /** The id of a Table = NAME or NUMBER, looked up (rt_tables) at its first route. */
    private long tableId = -1;

    Routes(Context c, StateFile state) {
        this.c = c;
        this.state = state;
    }

    /** Adds the route for {@code prefix} (a default route at once, others at the next {@link #flush}); returns whether that set up the firewall (add_default). */
    boolean add(IpPrefix prefix) throws WgQuickException {
        Family family = Family.of(prefix);
        String route = "ip " + family.proto + " route add " + prefix + " dev " + c.name();
        switch (c.spec().table()) {
            case Table.Off off -> {
                return false;
            }
            case Table.Auto auto -> {
                if (prefix.length() == 0) {
                    flush(); // in wg-quick's order
                    DefaultRoute.add(c, state, prefix);
                    return true;
                }
                // Not when a route through the interface covers it already, e.g. one for an Address.
                Set<IpPrefix> routes = through.computeIfAbsent(family, this::dump);
                if (!covered(routes, prefix)) {
                    queue(route, prefix, RT_TABLE_MAIN);
                    routes.add(prefix.masked());
                }
                return false;
            }
            default -> {
                String command = route + " table " + RouteTables.text(c.spec().table());
                if (tableId < 0) {
                    try {
                        tableId = RouteTables.id(c.host(), c.spec().table());
                    } catch (WgQuickException e) {
                        c.log().command(command); // ip's error follows its line; nothing queued before the first route
                        throw e;
                    }
                }
                queue(command, prefix, tableId);
                return false;
            }
        }
    }

    /** A route to send at the next {@link #flush}, and its command to print then. */
    private void queue(String command, IpPrefix prefix, long table) {
        pending.add(new Rtnetlink.Route(prefix.inetAddress(), prefix.length(), c.ifIndex(), table));
        pendingCommands.add(command);
    }

    /** Sends the routes queued and prints their commands, up to the first that failed, whose command the error names. */
    void flush() throws WgQuickException {
        if (pending.isEmpty()) return;
        int printed = pending.size();
        try {
            c.rtnl().addRoutes(pending);
        } catch (NetlinkSocket.BatchFailure f) {
            printed = f.index() + 1;
            throw new WgQuickException("`" + pendingCommands.get(f.index()) + "' failed: " + Libc.strerror(f.errno()));
        } catch (ErrnoException e) {
            printed = 1;
            throw new WgQuickException("`" + pendingCommands.getFirst() + "' failed: " + Libc.strerror(e.errno()));
        } finally {
            for (int i = 0; i < printed; i++) c.log().command(pendingCommands.get(i));
            pending.clear();
            pendingCommands.clear();
        }
    }

    /** {@code ip PROTO route show dev IF match PREFIX} is not empty: one of routes contains prefix. */
    private static boolean covered(Set<IpPrefix> routes, IpPrefix prefix) {
        for (int length = prefix.length(); length >= 0; length--) {
            if (routes.contains(new IpPrefix(prefix.address(), length).masked())) return true;
        }
        return false;
    }

    /** The main-table routes through the interface, masked (a failed dump shows nothing, as 2>/dev/null). */
    private Set<IpPrefix> dump(Family family) {
        Set<IpPrefix> routes = new HashSet<>();
        try {
            for (RouteInfo r : c.rtnl().routes(family.af)) {
                if (r.table() == RT_TABLE_MAIN && r.oif() == c.ifIndex() && (r.flags() & RTM_F_CLONED) == 0) {
                    routes.add(IpPrefix.of(r.destination(), r.destinationLength()).masked());
                }
            }
        } catch (ErrnoException e) {
            // nothing shown
        }
        return routes;
    }
}
