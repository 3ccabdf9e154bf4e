package jwg.config;

import jwg.routing.Hooks;
import jwg.routing.Table;
import jwg.routing.Dns;
import static jwg.config.Fixtures.key;
import static jwg.config.Fixtures.prefix;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class GoodFixturesTest {
    @Test
    void fullTunnel() throws Exception {
        WgQuickConfig c = Fixtures.parse("good/full-tunnel.conf");
        assertEquals("wg0", c.interfaceName());
        InterfaceConfig i = c.interfaceConfig();
        assertEquals(Optional.of(key(Fixtures.K1)), i.privateKey());
        assertEquals(List.of(prefix("10.66.0.2/32"), prefix("fd66::2/128")), i.addresses());
        assertEquals(List.of(InetAddress.getByName("10.66.0.1"), InetAddress.getByName("fd66::1")), i.dns().servers());
        assertEquals(List.of(), i.dns().searchDomains());
        assertEquals(OptionalInt.of(1420), i.mtu());
        assertEquals(new Table.Auto(), i.table());
        assertEquals(0, i.listenPort());
        assertEquals(0, i.fwMark());
        assertFalse(i.saveConfig());
        assertEquals(Hooks.NONE, i.hooks());
        PeerConfig p = c.peers().getFirst();
        assertEquals(1, c.peers().size());
        assertEquals(key(Fixtures.P2), p.publicKey());
        assertEquals(Optional.of(key(Fixtures.PSK)), p.presharedKey());
        assertEquals(List.of(prefix("0.0.0.0/0"), prefix("::/0")), p.allowedIps());
        assertEquals(Optional.of(new Endpoint("203.0.113.7", 51820)), p.endpoint());
        assertEquals(25, p.persistentKeepalive());
    }

    @Test
    void splitTunnelAccumulatesAllowedIps() throws Exception {
        WgQuickConfig c = Fixtures.parse("good/split-tunnel.conf");
        assertEquals(new Table.Id(1234), c.interfaceConfig().table());
        assertEquals(0x1234, c.interfaceConfig().fwMark());
        assertEquals(List.of(prefix("10.66.0.2/24")), c.interfaceConfig().addresses());
        assertEquals(List.of(prefix("10.66.0.0/24"), prefix("192.168.10.0/24"), prefix("172.16.0.0/12")),
                c.peers().getFirst().allowedIps());
        assertEquals(Optional.empty(), c.peers().getFirst().presharedKey());
        assertEquals(0, c.peers().getFirst().persistentKeepalive());
    }

    @Test
    void ipv6Endpoints() throws Exception {
        WgQuickConfig c = Fixtures.parse("good/ipv6-endpoint.conf");
        assertEquals(51821, c.interfaceConfig().listenPort());
        assertEquals(List.of(Optional.of(new Endpoint("2001:db8::1", 51820)), Optional.of(new Endpoint("fe80::1%lo", 51820)),
                        Optional.of(new Endpoint("2001:db8::3", 51820))),
                c.peers().stream().map(PeerConfig::endpoint).toList());
        assertEquals("[2001:db8::1]:51820", c.peers().getFirst().endpoint().orElseThrow().toString());
    }

    @Test
    void hostnameEndpointAndSearchDomains() throws Exception {
        WgQuickConfig c = Fixtures.parse("good/hostname-endpoint.conf");
        assertEquals(new Dns(List.of(InetAddress.getByName("10.7.0.1")), List.of("corp.example", "example.com")),
                c.interfaceConfig().dns());
        PeerConfig p = c.peers().getFirst();
        assertEquals(Optional.of(new Endpoint("localhost", 51820)), p.endpoint());
        assertEquals(0, p.persistentKeepalive(), "off");
    }

    @Test
    void multiplePeersInFileOrder() throws Exception {
        WgQuickConfig c = Fixtures.parse("good/multi-peer.conf");
        assertTrue(c.interfaceConfig().saveConfig());
        assertEquals(51820, c.interfaceConfig().listenPort());
        assertEquals(List.of(key(Fixtures.P3), key(Fixtures.P4), key(Fixtures.P5)), c.peers().stream().map(PeerConfig::publicKey).toList());
        assertEquals(List.of(prefix("10.8.0.3/32"), prefix("192.168.50.0/24")), c.peers().get(1).allowedIps());
        assertEquals(Optional.of(key(Fixtures.PSK)), c.peers().get(2).presharedKey());
        assertEquals(Optional.empty(), c.peers().get(0).endpoint());
    }

    @Test
    void hooksAreVerbatimAndInOrder() throws Exception {
        WgQuickConfig c = Fixtures.parse("good/hooks.conf");
        Hooks h = c.interfaceConfig().hooks();
        assertEquals(List.of("sysctl -w net.ipv4.ip_forward=1"), h.preUp());
        assertEquals(List.of("iptables -A FORWARD -i %i -j ACCEPT; iptables -t nat -A POSTROUTING -o eth0 -j MASQUERADE",
                "echo \"up %i\" > /tmp/%i.state # a comment stays part of the command"), h.postUp());
        assertEquals(List.of("logger -t wg \"%i going down: a=b\""), h.preDown());
        assertEquals(1, h.postDown().size());
        assertEquals(List.of("echo \"up %i\" > /tmp/%i.state # a comment stays part of the command"),
                h.postUp().subList(1, 2), "verbatim: %i is the routing module's to expand");
        assertEquals(new Table.Off(), c.interfaceConfig().table());
    }

    @Test
    void messyFormattingCommentsCaseAndLastWins() throws Exception {
        List<String> warnings = new ArrayList<>();
        WgQuickConfig c = ConfigParser.parse("wg0.conf", new java.io.StringReader(Fixtures.text("good/messy.conf")), warnings::add);
        InterfaceConfig i = c.interfaceConfig();
        assertEquals(Optional.of(key(Fixtures.K1)), i.privateKey(), "the second PrivateKey wins");
        assertEquals(2000, i.listenPort(), "wg removes all whitespace: 'Listen Port = 2 000' is ListenPort=2000");
        assertEquals(OptionalInt.of(1380), i.mtu());
        assertEquals(List.of(InetAddress.getByName("1.1.1.1"), InetAddress.getByName("2606:4700:4700::1111")), i.dns().servers());
        assertEquals(List.of("search.example"), i.dns().searchDomains());
        assertEquals(List.of(prefix("10.10.0.5/24"), prefix("fd10::5/64")), i.addresses());
        assertEquals(new Table.Name("main"), i.table());
        assertFalse(i.saveConfig());
        PeerConfig p = c.peers().getFirst();
        assertEquals(key(Fixtures.P6), p.publicKey());
        assertEquals(List.of(prefix("10.10.0.0/24"), prefix("fd10::/64"), prefix("10.10.1.0/24")), p.allowedIps());
        assertEquals(Optional.of(new Endpoint("192.0.2.2", 51820)), p.endpoint());
        assertEquals(25, p.persistentKeepalive());
        assertEquals(List.of("wg0.conf:20: AllowedIPs: 10.10.1.1/24 has host bits set, it means 10.10.1.0/24"), warnings);
    }

    @Test
    void interfaceWithoutKeyOrPeers() throws Exception {
        WgQuickConfig c = Fixtures.parse("good/no-peers.conf");
        assertEquals(Optional.empty(), c.interfaceConfig().privateKey());
        assertEquals(List.of(), c.peers());
        assertEquals(Optional.empty(), c.source());
    }

    @Test
    void duplicatePeerSectionsMergeLikeTheKernel() throws Exception {
        WgQuickConfig c = Fixtures.parse("good/duplicate-peer.conf");
        assertEquals(2, c.peers().size());
        PeerConfig first = c.peers().get(0);
        assertEquals(key(Fixtures.P2), first.publicKey());
        assertEquals(List.of(prefix("10.0.2.0/24")), first.allowedIps(), "the later section replaced them");
        assertEquals(Optional.of(new Endpoint("192.0.2.1", 51820)), first.endpoint(), "kept: not given again");
        assertEquals(5, first.persistentKeepalive());
        assertEquals(List.of(prefix("10.0.0.0/24"), prefix("10.0.1.0/24")), c.peers().get(1).allowedIps());
    }

    @Test
    void crlfLineEndingsParseTheSame() throws Exception {
        for (String name : Fixtures.list("good")) {
            String text = Fixtures.text("good/" + name);
            assertEquals(Fixtures.parseText(text), Fixtures.parseText(text.replace("\n", "\r\n")), name);
        }
    }
}
