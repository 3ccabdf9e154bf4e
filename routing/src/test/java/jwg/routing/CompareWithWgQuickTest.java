package jwg.routing;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static jwg.routing.Comparison.sorted;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/**
 * For each configuration, the real wg-quick (with wireguard-go) in one namespace and jwg's
 * {@link WgQuick} on a TUN in another, with the same underlay: after up and after down both
 * namespaces are in the same state, and both print the same "[#]" commands.
 */
class CompareWithWgQuickTest {

    static Stream<WgQuickCase> cases() {
        WgQuickCase.Peer fullTunnel = new WgQuickCase.Peer(List.of("0.0.0.0/0", "::/0"), "192.0.2.2:51820");
        return Stream.of(
                WgQuickCase.of("full tunnel v4+v6 with DNS", List.of("10.7.0.2/32", "fd07::2/128"), List.of(fullTunnel))
                        .dns("10.7.0.1", "2606:4700:4700::1111", "example.com", "corp.example")
                        .expectedUp(
                                "[#] ip -4 address add 10.7.0.2/32 dev IF",
                                "[#] ip -6 address add fd07::2/128 dev IF",
                                "[#] ip link set mtu 1420 up dev IF",
                                "[#] resolvconf -a IF -m 0 -x",
                                "[#] wg set IF fwmark 51820",
                                "[#] ip -6 rule add not fwmark 51820 table 51820",
                                "[#] ip -6 rule add table main suppress_prefixlength 0",
                                "[#] ip -6 route add ::/0 dev IF table 51820",
                                "[#] nft -f /dev/stdin",
                                "[#] ip -4 rule add not fwmark 51820 table 51820",
                                "[#] ip -4 rule add table main suppress_prefixlength 0",
                                "[#] ip -4 route add 0.0.0.0/0 dev IF table 51820",
                                "[#] sysctl -q net.ipv4.conf.all.src_valid_mark=1",
                                "[#] nft -f /dev/stdin"),
                WgQuickCase.of("split tunnel, two peers, a prefix covered by an address route",
                        List.of("10.7.0.2/24", "fd07::2/64"), List.of(
                                new WgQuickCase.Peer(List.of("10.7.0.0/24", "10.8.3.1/16", "fd08::/64", "10.9.0.0/24"),
                                        "192.0.2.2:51820"),
                                new WgQuickCase.Peer(List.of("10.10.0.0/16", "fd09::/48", "10.11.0.1/32"), "192.0.2.3:51821"))),
                WgQuickCase.of("Table = off", List.of("10.7.0.2/32", "fd07::2/128"), List.of(fullTunnel)).table("off"),
                WgQuickCase.of("Table = 1234", List.of("10.7.0.2/32"),
                        List.of(new WgQuickCase.Peer(List.of("0.0.0.0/0", "::/0", "10.9.0.0/24"), "192.0.2.2:51820")))
                        .table("1234"),
                // wg-quick passes it to ip ("table 0"), and the kernel adds those routes to main.
                WgQuickCase.of("Table = 0", List.of("10.7.0.2/32", "fd07::2/128"),
                        List.of(new WgQuickCase.Peer(List.of("10.9.0.0/24", "fd09::/64", "10.12.0.0/16"), "192.0.2.2:51820")))
                        .table("0"),
                WgQuickCase.of("FwMark given, IPv4 full tunnel", List.of("10.7.0.2/32", "fd07::2/128"),
                        List.of(new WgQuickCase.Peer(List.of("0.0.0.0/0", "fd09::/64"), "192.0.2.2:51820")))
                        .fwmark("0x1234"),
                WgQuickCase.of("MTU auto with a small-MTU underlay", List.of("10.7.0.2/32", "fd07::2/128"),
                        List.of(fullTunnel)).underlayMtu(1380),
                WgQuickCase.of("MTU auto without endpoints: the default route's", List.of("10.7.0.2/32"),
                        List.of(new WgQuickCase.Peer(List.of("10.9.0.0/24"), null))).underlayMtu(1440),
                WgQuickCase.of("table 51820 in use, IPv6 only full tunnel", List.of("fd07::2/128"),
                        List.of(new WgQuickCase.Peer(List.of("::/0"), "[2001:db8::2]:51820"))).occupyTable51820(),
                WgQuickCase.of("hooks with %i, MTU given, Table = main", List.of("10.7.0.2/24"),
                        List.of(new WgQuickCase.Peer(List.of("10.9.0.0/24", "10.12.0.0/16"), "192.0.2.2:51820")))
                        .mtu(1280).table("main")
                        .hooks(new Hooks(List.of("echo PreUp %i >> HOOKS/%i.log"),
                                List.of("[[ -n \"%i\" ]] && echo \"PostUp %i $((6*7))\" >> HOOKS/%i.log",
                                        "ip link show dev %i | grep -q mtu && echo PostUp2 >> HOOKS/%i.log"),
                                List.of("echo PreDown %i >> HOOKS/%i.log"),
                                List.of("echo PostDown %i >> HOOKS/%i.log; ip link show dev %i || echo gone >> HOOKS/%i.log"))),
                WgQuickCase.of("without nft: iptables-restore", List.of("10.7.0.2/32", "fd07::2/128"), List.of(fullTunnel))
                        .hideNft());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void leavesTheHostAsWgQuickDoes(WgQuickCase kase, @TempDir Path dir) throws Exception {
        try (Comparison c = new Comparison(kase, dir)) {
            Snapshot.assertSame(c.theirsBefore, c.oursBefore, "before up");

            Sh.Result up = c.wgQuick("up");
            assertEquals(0, up.status(), up.output());
            Session session = c.jwgUp();
            Snapshot theirsUp = c.theirSnapshot();
            Snapshot.assertSame(theirsUp, c.ourSnapshot(), "after up");
            assertNotEquals(c.theirsBefore, theirsUp, "wg-quick changed nothing?");
            // The installed wg-quick may order add_default's steps differently: compare as sets.
            assertEquals(sorted(c.theirCommands(up)), sorted(c.ourCommands()), "[#] lines of up");
            if (!c.kase.expectedUp().isEmpty()) {
                assertEquals(c.kase.expectedUp(), c.ourCommands(), "[#] lines of up, in current wg-quick's order");
            }
            String theirMark = c.theirs.exec("wg", "show", c.theirName, "fwmark").strip();
            assertEquals(theirMark.equals("off") ? 0 : Integer.decode(theirMark), c.device.fwmark(), "fwmark");
            assertEquals(c.theirResolvconf.calls(c.theirName), c.ourResolvconf.calls(c.ourName), "resolvconf");

            c.ourLog.clear();
            Sh.Result down = c.wgQuick("down");
            assertEquals(0, down.status(), down.output());
            c.jwgDown(session);
            assertEquals(c.theirCommands(down), c.ourCommands(), "[#] lines of down");
            Snapshot theirsDown = c.theirSnapshot();
            Snapshot oursDown = c.ourSnapshot();
            Snapshot.assertSame(theirsDown, oursDown, "after down");
            // wg-quick leaves src_valid_mark set, and iptables-nft its (emptied) chains.
            boolean chainsStay = c.kase.withoutNft();
            Snapshot.assertSame(chainsStay ? c.oursBefore.withoutFirewall().withoutSysctl() : c.oursBefore.withoutSysctl(),
                    chainsStay ? oursDown.withoutFirewall().withoutSysctl() : oursDown.withoutSysctl(),
                    "after down, compared with before up");
            assertEquals(c.theirResolvconf.calls(c.theirName), c.ourResolvconf.calls(c.ourName), "resolvconf");
            assertEquals(List.of(), c.ourResolvconf.entries(), "resolvconf entries left");
            assertEquals(c.theirHookLog(), c.ourHookLog(), "what the hooks did");
            assertEquals(List.of(), c.stateLeft(), "state left");
        }
    }
}
