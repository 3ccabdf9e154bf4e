package jwg.cli;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import jwg.config.InterfaceConfig;
import jwg.net.IpPrefix;
import jwg.config.PeerConfig;
import jwg.config.WgQuickConfig;
import jwg.datapath.PeerUpdate;
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
        return new WgQuickSpec(config.interfaceName(), addresses, ic.mtu(), ic.dns(), ic.table(), ic.hooks(), allowed, endpoints);
    }
}
