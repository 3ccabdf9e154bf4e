package jwg.netlink;

import java.net.InetAddress;
import java.util.List;

import jwg.sys.Errno;
import jwg.sys.ErrnoException;
import jwg.testing.NetNs;
import jwg.tun.TunDevice;
import org.junit.jupiter.api.Test;

import static jwg.netlink.NetlinkConstants.FR_ACT_TO_TBL;
import static jwg.netlink.NetlinkConstants.RTPROT_BOOT;
import static jwg.netlink.NetlinkConstants.RT_SCOPE_LINK;
import static jwg.netlink.NetlinkConstants.RT_TABLE_MAIN;
import static jwg.sys.LibcConstants.AF_INET;
import static jwg.sys.LibcConstants.AF_INET6;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Routes and rules made through rtnetlink are the ones {@code ip route add} and {@code ip rule add} make. */
class RoutesAndRulesTest {

    @Test
    void routesEqualThoseOfIpRouteAdd() throws Exception {
        try (NetNs ns = NetNs.create(); TunDevice tun = ns.call(() -> TunDevice.open("jwgtun0"));
             Rtnetlink rtnl = ns.call(Rtnetlink::open)) {
            rtnl.setLinkUp(tun.index(), true);
            String[][] routes = {
                {"10.9.0.0", "24", "254", "-4", "10.9.0.0/24"},
                {"0.0.0.0", "0", "51820", "-4", "0.0.0.0/0"},
                {"fd00:9::", "64", "1234", "-6", "fd00:9::/64"},
                {"::", "0", "51820", "-6", "::/0"},
                {"10.10.0.0", "16", "100", "-4", "10.10.0.0/16"},
            };
            for (String[] r : routes) {
                InetAddress destination = InetAddress.getByName(r[0]);
                int length = Integer.parseInt(r[1]);
                long table = Long.parseLong(r[2]);
                rtnl.addRoute(destination, length, tun.index(), table);
                String ours = ns.ip("-d", "-j", r[3], "route", "show", "table", r[2]);
                ErrnoException exists = assertThrows(ErrnoException.class,
                        () -> rtnl.addRoute(destination, length, tun.index(), table));
                assertEquals(Errno.EEXIST, exists.errno());
                rtnl.deleteRoute(destination, length, tun.index(), table);
                assertEquals("[]", ns.ip("-j", r[3], "route", "show", "table", r[2]).strip()
                        .replace("[{}]", "[]"), "deleted " + r[4]);
                ns.ip(r[3], "route", "add", r[4], "dev", "jwgtun0", "table", r[2]);
                assertEquals(ns.ip("-d", "-j", r[3], "route", "show", "table", r[2]), ours, r[4]);
            }
            List<RouteInfo> dump = rtnl.routes(AF_INET);
            RouteInfo main = dump.stream().filter(r -> r.table() == RT_TABLE_MAIN && r.destinationLength() == 24)
                    .findFirst().orElseThrow();
            assertEquals(InetAddress.getByName("10.9.0.0"), main.destination());
            assertEquals(tun.index(), main.oif());
            assertEquals(RTPROT_BOOT, main.protocol());
            assertEquals(RT_SCOPE_LINK, main.scope());
            assertTrue(dump.stream().anyMatch(r -> r.table() == 51820 && r.destinationLength() == 0));
            assertTrue(rtnl.routes(AF_INET6).stream().anyMatch(r -> r.table() == 1234 && r.destinationLength() == 64));
        }
    }

    /** Thousands of routes in a few datagrams: all made, as one by one; a failure names the first route that failed. */
    @Test
    void manyRoutesInBatchesAreAllMadeAndTheFirstFailureIsNamed() throws Exception {
        try (NetNs ns = NetNs.create(); TunDevice tun = ns.call(() -> TunDevice.open("jwgtun0"));
             Rtnetlink rtnl = ns.call(Rtnetlink::open)) {
            rtnl.setLinkUp(tun.index(), true);
            List<Rtnetlink.Route> routes = new java.util.ArrayList<>();
            for (int i = 0; i < 3000; i++) {
                routes.add(new Rtnetlink.Route(InetAddress.getByAddress(new byte[] {10, 20, (byte) (i >> 8), (byte) i}), 32, tun.index(), RT_TABLE_MAIN));
            }
            routes.add(new Rtnetlink.Route(InetAddress.getByName("fd00:20::"), 64, tun.index(), 1234));
            rtnl.addRoutes(routes);
            long made = rtnl.routes(AF_INET).stream().filter(r -> r.oif() == tun.index() && r.destinationLength() == 32
                    && r.table() == RT_TABLE_MAIN).count();
            assertEquals(3000, made, "every route of every datagram");
            assertTrue(rtnl.routes(AF_INET6).stream().anyMatch(r -> r.table() == 1234 && r.destinationLength() == 64));

            List<Rtnetlink.Route> again = new java.util.ArrayList<>();
            for (int i = 0; i < 10; i++) {
                again.add(new Rtnetlink.Route(InetAddress.getByAddress(new byte[] {10, 21, 0, (byte) i}), 32, tun.index(), RT_TABLE_MAIN));
            }
            again.add(routes.get(2500)); // exists: EEXIST
            again.add(new Rtnetlink.Route(InetAddress.getByName("10.21.1.0"), 24, tun.index(), RT_TABLE_MAIN));
            NetlinkSocket.BatchFailure failure = assertThrows(NetlinkSocket.BatchFailure.class, () -> rtnl.addRoutes(again));
            assertEquals(10, failure.index());
            assertEquals(Errno.EEXIST, failure.errno());
            assertTrue(failure.getMessage().contains("10.20.9.196/32"), failure.getMessage());
            assertTrue(ns.ip("-4", "route", "show", "10.21.0.9/32").contains("10.21.0.9"), "the ones before it were made");
            rtnl.addRoute(InetAddress.getByName("10.22.0.0"), 16, tun.index(), RT_TABLE_MAIN); // the socket is in step after a failure
        }
    }

    @Test
    void loopbackAddressesGetHostScopeAsWithIpAddressAdd() throws Exception {
        try (NetNs ns = NetNs.create(); TunDevice tun = ns.call(() -> TunDevice.open("jwgtun0"));
             Rtnetlink rtnl = ns.call(Rtnetlink::open)) {
            rtnl.addAddress(tun.index(), InetAddress.getByName("127.0.0.2"), 8);
            rtnl.addAddress(tun.index(), InetAddress.getByName("10.9.0.1"), 24);
            String ours = ns.ip("-j", "addr", "show", "dev", "jwgtun0");
            ns.ip("addr", "flush", "dev", "jwgtun0");
            ns.ip("addr", "add", "127.0.0.2/8", "dev", "jwgtun0");
            ns.ip("addr", "add", "10.9.0.1/24", "dev", "jwgtun0");
            assertEquals(ns.ip("-j", "addr", "show", "dev", "jwgtun0"), ours);
            assertTrue(ours.contains("\"scope\":\"host\""), ours);
        }
    }

    @Test
    void routeGetGivesTheInterfaceAndTheMtuMetric() throws Exception {
        try (NetNs ns = NetNs.create(); TunDevice tun = ns.call(() -> TunDevice.open("jwgtun0"));
             Rtnetlink rtnl = ns.call(Rtnetlink::open)) {
            rtnl.setLinkUp(tun.index(), true);
            rtnl.addAddress(tun.index(), InetAddress.getByName("10.9.0.1"), 24);
            RouteInfo plain = rtnl.routeGet(InetAddress.getByName("10.9.0.7"));
            assertEquals(tun.index(), plain.oif());
            assertEquals(0, plain.mtu());
            ns.ip("route", "add", "10.20.0.0/16", "dev", "jwgtun0", "mtu", "1300");
            assertEquals(1300, rtnl.routeGet(InetAddress.getByName("10.20.1.1")).mtu());
            ns.ip("route", "add", "10.30.0.0/16", "dev", "jwgtun0", "mtu", "lock", "1200");
            RouteInfo locked = rtnl.routeGet(InetAddress.getByName("10.30.1.1"));
            assertEquals(1200, locked.mtu());
            assertTrue(locked.mtuLocked());
            ErrnoException unreachable = assertThrows(ErrnoException.class,
                    () -> rtnl.routeGet(InetAddress.getByName("192.0.2.1")));
            assertEquals(101, unreachable.errno()); // ENETUNREACH
            assertEquals(tun.index(), rtnl.link(tun.index()).index());
            assertEquals("jwgtun0", rtnl.link(tun.index()).name());
        }
    }

    @Test
    void rulesEqualThoseOfIpRuleAddAndDeleteByTable() throws Exception {
        try (NetNs ns = NetNs.create(); Rtnetlink rtnl = ns.call(Rtnetlink::open)) {
            for (int family : new int[] {AF_INET, AF_INET6}) {
                String f = family == AF_INET ? "-4" : "-6";
                String before = ns.ip("-d", "-j", f, "rule");
                FibRule notMarked = FibRule.lookup(family, 51820).inverted().withFwmark(51820);
                FibRule suppress = FibRule.lookup(family, RT_TABLE_MAIN).withSuppressPrefixLength(0);
                rtnl.addRule(notMarked);
                rtnl.addRule(suppress);
                String ours = ns.ip("-d", "-j", f, "rule");

                List<FibRule> rules = rtnl.rules(family);
                FibRule mark = rules.stream().filter(r -> r.table() == 51820).findFirst().orElseThrow();
                assertTrue(mark.isInverted());
                assertEquals(51820, mark.fwmark());
                assertEquals(-1, mark.fwmask());
                assertEquals(32765, mark.priority());
                assertEquals(FR_ACT_TO_TBL, mark.action());
                assertNull(mark.suppressPrefixLength());
                assertFalse(mark.hasOtherSelectors());
                FibRule main = rules.stream().filter(r -> r.suppressPrefixLength() != null).findFirst().orElseThrow();
                assertEquals(RT_TABLE_MAIN, main.table());
                assertEquals(0, main.suppressPrefixLength());
                assertEquals(32764, main.priority());

                rtnl.deleteRule(FibRule.ofTable(family, 51820));
                rtnl.deleteRule(FibRule.ofTable(family, RT_TABLE_MAIN).withSuppressPrefixLength(0));
                assertEquals(before, ns.ip("-d", "-j", f, "rule"));
                assertEquals(Errno.ENOENT, assertThrows(ErrnoException.class,
                        () -> rtnl.deleteRule(FibRule.ofTable(family, 51820))).errno());

                ns.ip(f, "rule", "add", "not", "fwmark", "51820", "table", "51820");
                ns.ip(f, "rule", "add", "table", "main", "suppress_prefixlength", "0");
                assertEquals(ns.ip("-d", "-j", f, "rule"), ours);
                ns.ip(f, "rule", "delete", "table", "51820");
                ns.ip(f, "rule", "delete", "table", "main", "suppress_prefixlength", "0");
            }
            FibRule iif = new FibRule(AF_INET, 5, FR_ACT_TO_TBL, 0, null, null, null, null, 0, 0, 0, "eth0", null);
            assertThrows(IllegalArgumentException.class, () -> rtnl.addRule(iif));
            ns.ip("rule", "add", "iif", "lo", "table", "7");
            assertEquals("lo", rtnl.rules(AF_INET).stream().filter(r -> r.table() == 7).findFirst().orElseThrow().iifName());
        }
    }
}
