package jwg.routing;

import jwg.net.IpPrefix;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * What wg-quick needs from a configuration to set up the host around the interface.
 *
 * @param interfaceName the interface, e.g. "wg0"
 * @param addresses the [Interface] Address entries, host bits kept
 * @param mtu MTU, or empty for wg-quick's automatic MTU
 * @param allowedIps the AllowedIPs of all peers (as written; they are masked as wg stores them)
 * @param endpoints the peers' endpoints, resolved, for the automatic MTU
 */
public record WgQuickSpec(String interfaceName, List<IpPrefix> addresses, OptionalInt mtu, Dns dns, Table table,
        Hooks hooks, List<IpPrefix> allowedIps, List<InetSocketAddress> endpoints) {
    public WgQuickSpec {
        if (interfaceName == null || interfaceName.isEmpty()) {
            throw new IllegalArgumentException("no interface name");
        }
        addresses = List.copyOf(addresses);
        Objects.requireNonNull(mtu, "mtu");
        Objects.requireNonNull(dns, "dns");
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(hooks, "hooks");
        allowedIps = List.copyOf(allowedIps);
        endpoints = List.copyOf(endpoints);
    }

    /** Whether some peer has a default route (a /0) in AllowedIPs. */
    boolean hasDefaultRoute() {
        return allowedIps.stream().anyMatch(p -> p.length() == 0);
    }
}
