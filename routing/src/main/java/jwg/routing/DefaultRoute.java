package jwg.routing;

import jwg.net.IpPrefix;
import java.io.IOException;
import java.util.HashSet;
import java.util.Set;

import jwg.netlink.FibRule;
import jwg.netlink.RouteInfo;
import jwg.sys.ErrnoException;

import static jwg.netlink.NetlinkConstants.RTM_F_CLONED;
import static jwg.netlink.NetlinkConstants.RT_TABLE_MAIN;

/**
 * wg-quick's add_default: a default route (0.0.0.0/0, ::/0) with Table auto goes to its own table,
 * which every packet not carrying the device's fwmark looks up first, while the main table still
 * decides for everything but its default route; the device's own (marked) UDP thus takes the main
 * table's route to the endpoint.
 */
final class DefaultRoute {
    /** Where wg-quick starts looking for a free table. */
    private static final long FIRST_TABLE = 51820;

    private DefaultRoute() {}

    static void add(Context c, StateFile state, IpPrefix prefix) throws WgQuickException {
        long table = Integer.toUnsignedLong(c.device().fwmark()); // get_fwmark
        if (table == 0) {
            table = firstFreeTable(c);
            String command = "wg set " + c.name() + " fwmark " + table;
            c.log().command(command);
            try {
                c.device().setFwmark((int) table);
            } catch (IOException e) {
                throw new WgQuickException("`" + command + "' failed: " + e.getMessage());
            }
        }
        state.record(StateFile.TABLE + table);
        Family family = Family.of(prefix);
        long t = table;
        c.ip("ip " + family.proto + " rule add not fwmark " + t + " table " + t,
                () -> c.rtnl().addRule(FibRule.lookup(family.af, t).inverted().withFwmark((int) t)));
        c.ip("ip " + family.proto + " rule add table main suppress_prefixlength 0",
                () -> c.rtnl().addRule(FibRule.lookup(family.af, RT_TABLE_MAIN).withSuppressPrefixLength(0)));
        c.ip("ip " + family.proto + " route add " + prefix + " dev " + c.name() + " table " + t,
                () -> c.rtnl().addRoute(prefix.inetAddress(), prefix.length(), c.ifIndex(), t));
        String nft = Firewall.nftScript(c, family, t);
        String restore = Firewall.restoreScript(c, family, t);
        if (family == Family.V4) {
            SrcValidMark.ensure(c);
        }
        Firewall.apply(c, family, nft, restore);
    }

    /** The first table from 51820 without IPv4 or IPv6 routes ({@code ip -4/-6 route show table N} empty). */
    private static long firstFreeTable(Context c) {
        Set<Long> used = new HashSet<>();
        for (Family family : Family.values()) {
            try {
                for (RouteInfo route : c.rtnl().routes(family.af)) {
                    if ((route.flags() & RTM_F_CLONED) == 0) {
                        used.add(route.table());
                    }
                }
            } catch (ErrnoException e) {
                // 2>/dev/null: nothing shown, the table counts as free
            }
        }
        long table = FIRST_TABLE;
        while (used.contains(table)) {
            table++;
        }
        return table;
    }
}
