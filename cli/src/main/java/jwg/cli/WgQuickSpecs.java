package jwg.cli;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import jwg.config.InterfaceConfig;
import jwg.net.IpPrefix;
import jwg.config.PeerConfig;
import jwg.config.WgQuickConfig;
import jwg.datapath.PeerUpdate;
import jwg.routing.Dns;
import jwg.routing.Hooks;
import jwg.routing.Table;
import jwg.routing.WgQuickSpec;

/** What the routing module needs of a parsed wg-quick file. */
final class WgQuickSpecs {
    private WgQuickSpecs() {}

    /** The spec for config, with the endpoints as resolved for the device (peers in file order). */
    static WgQuickSpec of(WgQuickConfig config, List<PeerUpdate> resolved) {
        InterfaceConfig ic = config.interfaceConfig();
        List<IpPrefix> allowed = new ArrayList<>();
        for (PeerConfig p : config.peers()) allowed.addAll(p.allowedIps());
        List<IpPrefix> addresses = ic.addresses();
        List<InetSocketAddress> endpoints = resolved.stream().map(PeerUpdate::endpoint)
                .flatMap(java.util.Optional::stream).toList();
        jwg.config.Hooks h = ic.hooks();
        return new WgQuickSpec(config.interfaceName(), addresses, ic.mtu(),
                new Dns(ic.dns().servers(), ic.dns().searchDomains()), table(ic.table()),
                new Hooks(h.preUp(), h.postUp(), h.preDown(), h.postDown()), allowed, endpoints);
    }

    private static Table table(jwg.config.Table t) {
        return switch (t) {
            case jwg.config.Table.Off o -> new Table.Off();
            case jwg.config.Table.Auto a -> new Table.Auto();
            case jwg.config.Table.Id(long id) -> new Table.Id(id);
            case jwg.config.Table.Name(String name) -> new Table.Name(name);
        };
    }
}
