package jwg.routing;

import jwg.net.IpText;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

import jwg.netlink.AddressInfo;
import jwg.sys.ErrnoException;

import static jwg.sys.LibcConstants.AF_INET;
import static jwg.sys.LibcConstants.AF_INET6;

/**
 * The firewall part of wg-quick's add_default, and remove_firewall. Per family, a table
 * {@code wg-quick-IF} with three chains: preraw drops packets for the interface's addresses that
 * arrive on another interface unless they come from a local address; postmangle saves the fwmark
 * of the device's UDP into conntrack and premangle restores it on replies, so that they pass the
 * reverse-path filter. With iptables-restore, the same rules, marked by a comment, when nft is
 * missing.
 */
final class Firewall {
    private Firewall() {}

    private static String table(Context c) {
        return "wg-quick-" + c.name();
    }

    /** The nft script of add_default, byte for byte (the two trailing spaces included). */
    static String nftScript(Context c, Family family, long fwmark) {
        String pf = family.pf;
        String table = table(c);
        StringBuilder s = new StringBuilder();
        s.append("add table ").append(pf).append(' ').append(table).append('\n');
        s.append("add chain ").append(pf).append(' ').append(table).append(" preraw { type filter hook prerouting priority -300; }\n");
        s.append("add chain ").append(pf).append(' ').append(table).append(" premangle { type filter hook prerouting priority -150; }\n");
        s.append("add chain ").append(pf).append(' ').append(table).append(" postmangle { type filter hook postrouting priority -150; }\n");
        for (String address : addresses(c, family)) {
            s.append("add rule ").append(pf).append(' ').append(table).append(" preraw iifname != \"").append(c.name())
                    .append("\" ").append(pf).append(" daddr ").append(address).append(" fib saddr type != local drop\n");
        }
        s.append("add rule ").append(pf).append(' ').append(table).append(" postmangle meta l4proto udp mark ")
                .append(fwmark).append(" ct mark set mark \n");
        s.append("add rule ").append(pf).append(' ').append(table).append(" premangle meta l4proto udp meta mark set ct mark \n");
        return s.toString();
    }

    /** The iptables-restore input of add_default, for when nft is missing. */
    static String restoreScript(Context c, Family family, long fwmark) {
        String marker = marker(c);
        StringBuilder s = new StringBuilder("*raw\n");
        for (String address : addresses(c, family)) {
            s.append("-I PREROUTING ! -i ").append(c.name()).append(" -d ").append(address)
                    .append(" -m addrtype ! --src-type LOCAL -j DROP ").append(marker).append('\n');
        }
        s.append("COMMIT\n*mangle\n");
        s.append("-I POSTROUTING -m mark --mark ").append(fwmark).append(" -p udp -j CONNMARK --save-mark ")
                .append(marker).append('\n');
        s.append("-I PREROUTING -p udp -j CONNMARK --restore-mark ").append(marker).append('\n');
        s.append("COMMIT\n");
        return s.toString();
    }

    /** {@code nft -f} the script, or iptables-restore when there is no nft. */
    static void apply(Context c, Family family, String nftScript, String restoreScript) throws WgQuickException {
        if (c.processes().has("nft")) {
            c.run(List.of("nft", "-f", "/dev/stdin"), nftScript);
        } else {
            c.run(List.of(family.iptables + "-restore", "-n"), restoreScript);
        }
    }

    /**
     * remove_firewall: deletes the nft tables named wg-quick-IF, and the iptables rules with the
     * interface's comment. Returns what it removed.
     */
    static List<String> remove(Context c) throws WgQuickException {
        List<String> removed = new ArrayList<>();
        if (c.processes().has("nft")) {
            String tables = c.processes().output(List.of("nft", "list", "tables"));
            StringBuilder script = new StringBuilder();
            for (String line : tables == null ? List.<String>of() : tables.lines().map(String::strip).toList()) {
                if (line.endsWith(" wg-quick-" + c.name())) {
                    script.append("delete ").append(line).append('\n');
                    removed.add("nft " + line);
                }
            }
            if (!script.isEmpty()) {
                c.run(List.of("nft", "-f", "/dev/stdin"), script.toString());
            }
        }
        if (c.processes().has("iptables")) {
            for (Family family : Family.values()) {
                String saved = c.processes().output(List.of(family.iptables + "-save"));
                StringBuilder restore = new StringBuilder();
                int found = 0;
                for (String line : saved == null ? List.<String>of() : saved.lines().map(String::strip).toList()) {
                    boolean ours = line.startsWith("-A ") && line.contains(marker(c));
                    if (line.startsWith("*") || line.equals("COMMIT") || ours) {
                        restore.append(ours ? "-D" + line.substring(2) : line).append('\n');
                        found += ours ? 1 : 0;
                    }
                }
                if (found > 0) {
                    c.run(List.of(family.iptables + "-restore", "-n"), restore.toString());
                    removed.add(found + " " + family.iptables + " rules for " + c.name());
                }
            }
        }
        return removed;
    }

    private static String marker(Context c) {
        return "-m comment --comment \"wg-quick(8) rule for " + c.name() + "\"";
    }

    /** The interface's addresses of the family, in the kernel's order ({@code ip -o PROTO addr show dev IF}). */
    private static List<String> addresses(Context c, Family family) {
        try {
            List<String> addresses = new ArrayList<>();
            for (AddressInfo a : c.rtnl().addresses(c.ifIndex())) {
                InetAddress address = a.address();
                boolean v6 = address.getAddress().length == 16;
                if (family.af == (v6 ? AF_INET6 : AF_INET)) {
                    addresses.add(IpText.format(address));
                }
            }
            return addresses;
        } catch (ErrnoException e) {
            return List.of(); // 2>/dev/null: no addresses shown
        }
    }
}
