package jwg.routing;

import jwg.net.IpPrefix;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One configuration, as a wg-quick file and as the {@link WgQuickSpec} jwg's cli would make of it.
 *
 * @param underlayMtu the MTU of the namespace's underlay (the automatic MTU follows it)
 * @param table51820Taken whether table 51820 has a route already (wg-quick then takes 51821)
 * @param withoutNft whether nft is left out of PATH (wg-quick then uses iptables-restore)
 * @param expectedUp jwg's "[#]" lines for up in current wg-quick's order, IF for the name; empty: not checked
 */
record WgQuickCase(String title, List<String> addresses, List<String> dns, Integer mtu, String table, String fwmark,
        Hooks hooks, List<Peer> peers, int underlayMtu, boolean table51820Taken, boolean withoutNft,
        List<String> expectedUp) {

    record Peer(List<String> allowedIps, String endpoint) {}

    static WgQuickCase of(String title, List<String> addresses, List<Peer> peers) {
        return new WgQuickCase(title, addresses, List.of(), null, null, null, Hooks.NONE, peers, 1500, false, false, List.of());
    }

    WgQuickCase dns(String... entries) {
        return new WgQuickCase(title, addresses, List.of(entries), mtu, table, fwmark, hooks, peers, underlayMtu,
                table51820Taken, withoutNft, expectedUp);
    }

    WgQuickCase mtu(int value) {
        return new WgQuickCase(title, addresses, dns, value, table, fwmark, hooks, peers, underlayMtu,
                table51820Taken, withoutNft, expectedUp);
    }

    WgQuickCase table(String value) {
        return new WgQuickCase(title, addresses, dns, mtu, value, fwmark, hooks, peers, underlayMtu,
                table51820Taken, withoutNft, expectedUp);
    }

    WgQuickCase fwmark(String value) {
        return new WgQuickCase(title, addresses, dns, mtu, table, value, hooks, peers, underlayMtu,
                table51820Taken, withoutNft, expectedUp);
    }

    WgQuickCase hooks(Hooks value) {
        return new WgQuickCase(title, addresses, dns, mtu, table, fwmark, value, peers, underlayMtu,
                table51820Taken, withoutNft, expectedUp);
    }

    WgQuickCase underlayMtu(int value) {
        return new WgQuickCase(title, addresses, dns, mtu, table, fwmark, hooks, peers, value,
                table51820Taken, withoutNft, expectedUp);
    }

    WgQuickCase occupyTable51820() {
        return new WgQuickCase(title, addresses, dns, mtu, table, fwmark, hooks, peers, underlayMtu,
                true, withoutNft, expectedUp);
    }

    WgQuickCase hideNft() {
        return new WgQuickCase(title, addresses, dns, mtu, table, fwmark, hooks, peers, underlayMtu,
                table51820Taken, true, expectedUp);
    }

    WgQuickCase expectedUp(String... lines) {
        return new WgQuickCase(title, addresses, dns, mtu, table, fwmark, hooks, peers, underlayMtu,
                table51820Taken, withoutNft, List.of(lines));
    }

    @Override
    public String toString() {
        return title;
    }

    /** The wg-quick configuration file. */
    String conf() {
        StringBuilder s = new StringBuilder("[Interface]\nPrivateKey = ").append(randomKey()).append('\n');
        s.append("Address = ").append(String.join(", ", addresses)).append('\n');
        if (!dns.isEmpty()) {
            s.append("DNS = ").append(String.join(", ", dns)).append('\n');
        }
        if (mtu != null) {
            s.append("MTU = ").append(mtu).append('\n');
        }
        if (table != null) {
            s.append("Table = ").append(table).append('\n');
        }
        if (fwmark != null) {
            s.append("FwMark = ").append(fwmark).append('\n');
        }
        hooks.preUp().forEach(h -> s.append("PreUp = ").append(h).append('\n'));
        hooks.postUp().forEach(h -> s.append("PostUp = ").append(h).append('\n'));
        hooks.preDown().forEach(h -> s.append("PreDown = ").append(h).append('\n'));
        hooks.postDown().forEach(h -> s.append("PostDown = ").append(h).append('\n'));
        for (Peer peer : peers) {
            s.append("\n[Peer]\nPublicKey = ").append(randomKey()).append('\n');
            s.append("AllowedIPs = ").append(String.join(", ", peer.allowedIps())).append('\n');
            if (peer.endpoint() != null) {
                s.append("Endpoint = ").append(peer.endpoint()).append('\n');
            }
        }
        return s.toString();
    }

    /** What the cli would pass: the same configuration as values. */
    WgQuickSpec spec(String ifName) throws Exception {
        List<InetAddress> servers = new ArrayList<>();
        List<String> search = new ArrayList<>();
        for (String entry : dns) {
            if (entry.matches("[0-9.]+") || entry.contains(":")) {
                servers.add(InetAddress.getByName(entry));
            } else {
                search.add(entry);
            }
        }
        List<IpPrefix> allowed = new ArrayList<>();
        List<InetSocketAddress> endpoints = new ArrayList<>();
        for (Peer peer : peers) {
            peer.allowedIps().forEach(p -> allowed.add(IpPrefix.parse(p)));
            if (peer.endpoint() != null) {
                int colon = peer.endpoint().lastIndexOf(':');
                endpoints.add(new InetSocketAddress(InetAddress.getByName(peer.endpoint().substring(0, colon)),
                        Integer.parseInt(peer.endpoint().substring(colon + 1))));
            }
        }
        Table t = table == null || table.equals("auto") ? new Table.Auto() : table.equals("off") ? new Table.Off()
                : table.matches("[0-9]+") ? new Table.Id(Long.parseLong(table)) : new Table.Name(table);
        return new WgQuickSpec(ifName, addresses.stream().map(IpPrefix::parse).toList(),
                mtu == null ? OptionalInt.empty() : OptionalInt.of(mtu), new Dns(servers, search), t, hooks, allowed,
                endpoints);
    }

    /** The FwMark as the device starts with it (wg setconf), 0 for none. */
    int initialFwmark() {
        return fwmark == null ? 0 : Integer.decode(fwmark);
    }

    private static String randomKey() {
        byte[] key = new byte[32];
        ThreadLocalRandom.current().nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }
}
