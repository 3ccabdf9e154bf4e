package jwg.routing;

import java.net.InetAddress;
import java.util.List;

/** wg-quick's DNS: servers and search domains, set through resolvconf only when there is a server. */
public record Dns(List<InetAddress> servers, List<String> searchDomains) {
    public static final Dns NONE = new Dns(List.of(), List.of());

    public Dns {
        servers = List.copyOf(servers);
        searchDomains = List.copyOf(searchDomains);
    }
}
