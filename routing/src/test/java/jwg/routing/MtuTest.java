package jwg.routing;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.CopyOnWriteArrayList;

import jwg.testing.NetNs;
import jwg.tun.TunDevice;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * set_mtu_up's automatic MTU as current wg-quick computes it: the smallest of the endpoints'
 * routes (wg-quick 1.0.20210914, installed here, took the largest, so this is not compared).
 */
class MtuTest {
    @TempDir
    Path dir;

    @Test
    void theSmallestOfTheEndpointsRoutes() throws Exception {
        assertEquals(1320, automaticMtu(ns -> { }, "192.0.2.2", "198.18.0.2"));
    }

    @Test
    void aRoutesMtuBeforeItsDevicesButNotALockedOne() throws Exception {
        assertEquals(1220, automaticMtu(ns -> ns.ip("route", "add", "203.0.113.0/24", "dev", "ul0", "mtu", "1300"),
                "203.0.113.5", "192.0.2.2"));
        // ip shows "mtu lock 1200", which wg-quick's pattern does not take: the device's MTU counts.
        assertEquals(1420, automaticMtu(ns -> ns.ip("route", "add", "203.0.113.0/24", "dev", "ul0", "mtu", "lock", "1200"),
                "203.0.113.5"));
    }

    @Test
    void withoutEndpointsTheDefaultRoute() throws Exception {
        assertEquals(1280, automaticMtu(ns -> ns.ip("route", "add", "default", "dev", "ul2", "mtu", "1360")));
        assertEquals(1320, automaticMtu(ns -> ns.ip("route", "add", "default", "via", "198.18.0.254")));
    }

    @Test
    void unreachableEndpointsAndNoDefaultRouteGive1500() throws Exception {
        assertEquals(1420, automaticMtu(ns -> { }, "203.0.113.9"));
    }

    interface Setup {
        void apply(NetNs ns) throws Exception;
    }

    /** ul0 (1500, 192.0.2.1/24) and ul2 (1400, 198.18.0.1/24); returns the MTU jwg sets. */
    private int automaticMtu(Setup setup, String... endpoints) throws Exception {
        try (NetNs ns = NetNs.create()) {
            ns.ip("link", "add", "ul0", "type", "veth", "peer", "name", "ul1");
            ns.ip("link", "add", "ul2", "type", "veth", "peer", "name", "ul3");
            ns.ip("link", "set", "ul2", "mtu", "1400");
            for (String link : new String[] {"ul0", "ul1", "ul2", "ul3"}) {
                ns.ip("link", "set", link, "up");
            }
            ns.ip("addr", "add", "192.0.2.1/24", "dev", "ul0");
            ns.ip("addr", "add", "198.18.0.1/24", "dev", "ul2");
            setup.apply(ns);
            List<InetSocketAddress> peers = java.util.Arrays.stream(endpoints).map(e -> new InetSocketAddress(e, 51820)).toList();
            WgQuickSpec spec = new WgQuickSpec("jwgmtu0", List.of(), OptionalInt.empty(), Dns.NONE, new Table.Off(),
                    Hooks.NONE, List.of(), peers);
            Host host = new Host(Comparison.PATH, dir, Path.of("/proc/sys"), List.of(), dir.resolve("state"),
                    ProcessBuilder.Redirect.DISCARD);
            List<String> log = new CopyOnWriteArrayList<>();
            return ns.call(() -> {
                TunControl device = new TunControl(TunDevice.open("jwgmtu0"), 0);
                Session session = WgQuick.up(spec, device.tun().index(), device, log::add, host);
                String line = log.getFirst();
                assertTrue(line.matches("\\[#] ip link set mtu \\d+ up dev jwgmtu0"), line);
                int mtu = Integer.parseInt(line.split(" ")[5]);
                assertTrue(ns.ip("link", "show", "jwgmtu0").contains("mtu " + mtu + " "));
                session.down();
                return mtu;
            });
        }
    }
}
