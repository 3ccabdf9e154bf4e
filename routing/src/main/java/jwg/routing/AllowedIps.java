package jwg.routing;

import jwg.net.IpPrefix;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;

/** The AllowedIPs as cmd_up walks them to add routes. */
final class AllowedIps {
    private AllowedIps() {}

    /**
     * Masked and each once, as {@code wg show IF allowed-ips} lists them, in the order of
     * cmd_up's {@code sort -nr -k 2 -t /} (LC_ALL=C): longest prefix first, and for equal lengths
     * the text in reverse byte order (sort's last-resort comparison, reversed by -r).
     */
    static List<IpPrefix> inRouteOrder(List<IpPrefix> allowedIps) {
        LinkedHashSet<IpPrefix> masked = new LinkedHashSet<>();
        allowedIps.forEach(p -> masked.add(p.masked()));
        return masked.stream()
                .sorted(Comparator.comparingInt(IpPrefix::length).reversed()
                        .thenComparing(IpPrefix::toString, Comparator.reverseOrder()))
                .toList();
    }
}
