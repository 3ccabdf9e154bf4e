package jwg.routing;

import jwg.net.IpPrefix;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.net.InetSocketAddress;
import java.util.concurrent.CopyOnWriteArrayList;

import jwg.netlink.Rtnetlink;
import jwg.testing.NetNs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A full tunnel set up by {@link WgQuick} on a wireguard-go interface (standing in for jwg's
 * device): traffic to an address outside the tunnel goes through it, and the device's own marked
 * UDP takes the underlay instead of looping into the tunnel.
 */
class TrafficTest {

    @Test
    void fullTunnelCarriesTrafficAndTheMarkedUdpDoesNotLoop(@TempDir Path dir) throws Exception {
        String client = WgQuickRunner.uniqueName("jrc");
        String server = WgQuickRunner.uniqueName("jrs");
        String clientKey = Sh.check("wg", "genkey").strip();
        String serverKey = Sh.check("wg", "genkey").strip();
        Path clientKeyFile = dir.resolve("client.key");
        Files.writeString(clientKeyFile, clientKey + "\n");
        Path serverConf = dir.resolve(server + ".conf");
        Files.writeString(serverConf, "[Interface]\nPrivateKey = " + serverKey + "\nListenPort = 51820\n"
                + "Address = 10.7.0.1/24\n\n[Peer]\nPublicKey = " + publicKey(clientKey) + "\nAllowedIPs = 10.7.0.2/32\n");
        Files.setPosixFilePermissions(serverConf, PosixFilePermissions.fromString("rw-------"));

        try (NetNs a = NetNs.create(); NetNs b = NetNs.create()) {
            try {
                a.ip("link", "set", "lo", "up");
                b.ip("link", "set", "lo", "up");
                a.ip("link", "add", "ul0", "type", "veth", "peer", "name", "ul1", "netns", b.name());
                a.ip("addr", "add", "192.0.2.1/24", "dev", "ul0");
                a.ip("link", "set", "ul0", "up");
                // b is the router and the server: the endpoint is behind the default route, as on the Internet.
                a.ip("route", "add", "default", "via", "192.0.2.2", "dev", "ul0");
                b.ip("addr", "add", "192.0.2.2/24", "dev", "ul1");
                b.ip("link", "set", "ul1", "up");
                b.ip("addr", "add", "203.0.113.1/32", "dev", "lo"); // the endpoint
                b.ip("addr", "add", "198.51.100.1/32", "dev", "lo"); // outside the tunnel's addresses
                // 198.51.100.1 answers only what comes through the tunnel.
                b.exec("nft", "add table ip t; add chain ip t input { type filter hook input priority 0; };"
                        + " add rule ip t input iifname ul1 ip daddr 198.51.100.1 drop");
                Sh.Result serverUp = WgQuickRunner.run(b, "up", serverConf, Comparison.PATH);
                assertEquals(0, serverUp.status(), serverUp.output());

                a.exec("wireguard-go", client);
                a.exec("wg", "set", client, "private-key", clientKeyFile.toString(), "peer", publicKey(serverKey),
                        "endpoint", "203.0.113.1:51820", "allowed-ips", "0.0.0.0/0");
                assertNotEquals(0, Sh.run(Map.of(), List.of("ip", "netns", "exec", a.name(),
                        "ping", "-c", "1", "-W", "1", "198.51.100.1")).status(), "reachable without the tunnel?");

                WgQuickSpec spec = new WgQuickSpec(client, List.of(IpPrefix.parse("10.7.0.2/32")), OptionalInt.empty(),
                        Dns.NONE, new Table.Auto(), Hooks.NONE, List.of(IpPrefix.parse("0.0.0.0/0")),
                        List.of(new InetSocketAddress("203.0.113.1", 51820)));
                WgToolControl device = new WgToolControl(a, client);
                Host host = new Host(Comparison.PATH, dir.resolve("no-resolvconf"), Path.of("/proc/sys"),
                        List.of(Path.of("/etc/iproute2")), dir.resolve("state"),
                        ProcessBuilder.Redirect.appendTo(dir.resolve("output").toFile()));
                List<String> log = new CopyOnWriteArrayList<>();
                Session session = a.call(() -> {
                    try (Rtnetlink rtnl = Rtnetlink.open()) {
                        return WgQuick.up(spec, rtnl.linkIndex(client), device, log::add, host);
                    }
                });
                assertEquals(51820, device.fwmark());

                Sh.Result ping = Sh.run(Map.of(), List.of("ip", "netns", "exec", a.name(),
                        "ping", "-c", "3", "-i", "0.2", "-W", "2", "198.51.100.1"));
                assertEquals(0, ping.status(), ping.output());
                String transfer = b.exec("wg", "show", server, "transfer");
                assertTrue(transfer.matches("(?s)\\S+\\t[1-9]\\d*\\t[1-9]\\d*\\s*"), "server saw traffic: " + transfer);
                // Unmarked packets to the endpoint would go into the tunnel; the device's marked ones do not.
                assertTrue(a.ip("route", "get", "203.0.113.1").contains("dev " + client));
                assertTrue(a.ip("route", "get", "203.0.113.1", "mark", "51820").contains("via 192.0.2.2 dev ul0"));

                a.call(() -> {
                    session.down();
                    return null;
                });
                assertEquals("", a.exec("nft", "list", "ruleset"));
                assertTrue(!a.ip("rule").contains("51820"), a.ip("rule"));
                assertTrue(!a.ip("link").contains(client));
            } finally {
                Sh.run(Map.of(), List.of("ip", "-n", a.name(), "link", "delete", "dev", client));
                Sh.run(Map.of(), List.of("ip", "-n", b.name(), "link", "delete", "dev", server));
            }
        }
    }

    private static String publicKey(String privateKey) throws Exception {
        Path key = Files.createTempFile("jwg-key", "");
        try {
            Files.writeString(key, privateKey + "\n");
            return Sh.check("sh", "-c", "wg pubkey < " + key).strip();
        } finally {
            Files.delete(key);
        }
    }
}
