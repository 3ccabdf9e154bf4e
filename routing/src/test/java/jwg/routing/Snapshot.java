package jwg.routing;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jwg.testing.NetNs;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * What wg-quick changes in a network namespace, normalized so that two namespaces compare: the
 * interface's name becomes IF, IPv6 link-local addresses (random for a TUN) fe80::LL; routes and
 * addresses are sorted (their order follows those random addresses), rules keep theirs.
 */
record Snapshot(List<String> rules, List<String> routes, String link, List<String> addresses, String nft,
        String srcValidMark, String iptables) {

    static Snapshot capture(NetNs ns, String ifName) throws Exception {
        List<String> rules = new ArrayList<>();
        List<String> routes = new ArrayList<>();
        for (String family : new String[] {"-4", "-6"}) {
            Json.items(ns.ip("-d", "-j", family, "rule", "show")).forEach(r -> rules.add(normalize(r, ifName)));
            Json.items(ns.ip("-d", "-j", family, "route", "show", "table", "all"))
                    .forEach(r -> routes.add(normalize(r, ifName)));
        }
        routes.sort(null);
        String link = "absent";
        List<String> addresses = new ArrayList<>();
        if (ns.ip("-j", "link", "show").contains("\"ifname\":\"" + ifName + "\"")) {
            String item = Json.items(ns.ip("-j", "addr", "show", "dev", ifName)).getFirst();
            link = "mtu " + Json.field(item, "mtu") + " flags " + Json.field(item, "flags")
                    + " operstate " + Json.field(item, "operstate");
            Json.items(Json.field(item, "addr_info")).forEach(a -> addresses.add(normalize(a, ifName)));
            addresses.sort(null);
        }
        String iptables = "";
        if (Sh.run(Map.of(), List.of("sh", "-c", "command -v iptables-save")).status() == 0) {
            iptables = normalize(ns.exec("iptables-save") + ns.exec("ip6tables-save"), ifName)
                    .replaceAll("(?m)^#.*\n", "").replaceAll("\\[\\d+:\\d+\\]", "[-]");
        }
        return new Snapshot(rules, routes, link, addresses, normalize(ns.exec("nft", "list", "ruleset"), ifName),
                ns.exec("sysctl", "-n", "net.ipv4.conf.all.src_valid_mark").strip(), iptables);
    }

    private static String normalize(String text, String ifName) {
        return text.replace(ifName, "IF").replaceAll("fe80::[0-9a-f:]+", "fe80::LL");
    }

    /** This snapshot without what wg-quick leaves on purpose: the sysctl, and (iptables-nft) empty chains. */
    Snapshot withoutSysctl() {
        return new Snapshot(rules, routes, link, addresses, nft, "-", iptables);
    }

    Snapshot withoutFirewall() {
        return new Snapshot(rules, routes, link, addresses, "-", srcValidMark, "-");
    }

    /** Field by field, so that a failure says what differs. */
    static void assertSame(Snapshot expected, Snapshot actual, String what) {
        assertEquals(String.join("\n", expected.rules), String.join("\n", actual.rules), what + ": ip rule");
        assertEquals(String.join("\n", expected.routes), String.join("\n", actual.routes), what + ": ip route show table all");
        assertEquals(expected.link, actual.link, what + ": link");
        assertEquals(String.join("\n", expected.addresses), String.join("\n", actual.addresses), what + ": addresses");
        assertEquals(expected.nft, actual.nft, what + ": nft list ruleset");
        assertEquals(expected.srcValidMark, actual.srcValidMark, what + ": net.ipv4.conf.all.src_valid_mark");
        assertEquals(expected.iptables, actual.iptables, what + ": iptables-save");
    }
}
