package jwg.config;

import jwg.routing.Hooks;
import jwg.routing.Table;
import jwg.routing.Dns;
import jwg.net.IpPrefix;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/** Collects the [Interface] keys: single values are last-wins, lists accumulate in file order. */
final class InterfaceBuilder {
    Key privateKey;
    int listenPort;
    long fwMark;
    OptionalInt mtu = OptionalInt.empty();
    Table table = new Table.Auto();
    boolean saveConfig;
    private final List<IpPrefix> addresses = new ArrayList<>();
    private final List<InetAddress> dnsServers = new ArrayList<>();
    private final List<String> searchDomains = new ArrayList<>();
    final List<String> preUp = new ArrayList<>();
    final List<String> postUp = new ArrayList<>();
    final List<String> preDown = new ArrayList<>();
    final List<String> postDown = new ArrayList<>();

    /**
     * Adds an address, refusing one that `ip address add` would refuse as already present: the same
     * IPv4 address with the same prefix length, or the same IPv6 address.
     */
    void address(IpPrefix address) {
        for (IpPrefix a : addresses) {
            boolean sameAddress = Arrays.equals(a.address(), address.address());
            if (sameAddress && (!address.isIpv4() || a.length() == address.length())) {
                throw new IllegalArgumentException(address + " repeats the address " + a + " (ip address add would fail)");
            }
        }
        addresses.add(address);
    }

    /** One DNS entry: a server if wg-quick takes it for one, else a search domain. */
    void dns(String entry) {
        if (DnsSyntax.isServer(entry)) dnsServers.add(DnsSyntax.parseServer(entry));
        else searchDomains.add(entry);
    }

    InterfaceConfig build() {
        return new InterfaceConfig(Optional.ofNullable(privateKey), listenPort, fwMark, addresses,
                new Dns(dnsServers, searchDomains), mtu, table, new Hooks(preUp, postUp, preDown, postDown), saveConfig);
    }
}
