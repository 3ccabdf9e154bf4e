package jwg.config;

import jwg.routing.Table;
import jwg.net.IpText;
import jwg.net.IpPrefix;
import java.net.InetAddress;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Writes a configuration back as wg-quick text that {@link ConfigParser} reads to an equal
 * {@link WgQuickConfig}: wg-quick's keys first (as wg-quick's save_config does), then wg's in
 * `wg showconf` order. Keys are written in full: the text is as secret as the file it came from.
 */
public final class ConfigWriter {
    private ConfigWriter() {}

    public static String write(WgQuickConfig config) {
        StringBuilder out = new StringBuilder("[Interface]\n");
        InterfaceConfig i = config.interfaceConfig();
        for (IpPrefix address : i.addresses()) line(out, "Address", address.toString());
        List<String> dns = Stream.concat(i.dns().servers().stream().map(ConfigWriter::address),
                i.dns().searchDomains().stream()).toList();
        if (!dns.isEmpty()) line(out, "DNS", String.join(", ", dns));
        i.mtu().ifPresent(mtu -> line(out, "MTU", Integer.toString(mtu)));
        if (!(i.table() instanceof Table.Auto)) line(out, "Table", i.table().toString());
        if (i.saveConfig()) line(out, "SaveConfig", "true");
        i.hooks().preUp().forEach(c -> line(out, "PreUp", c));
        i.hooks().postUp().forEach(c -> line(out, "PostUp", c));
        i.hooks().preDown().forEach(c -> line(out, "PreDown", c));
        i.hooks().postDown().forEach(c -> line(out, "PostDown", c));
        if (i.listenPort() != 0) line(out, "ListenPort", Integer.toString(i.listenPort()));
        if (i.fwMark() != 0) line(out, "FwMark", "0x" + Long.toHexString(i.fwMark()));
        i.privateKey().ifPresent(k -> line(out, "PrivateKey", k.toBase64()));
        for (PeerConfig p : config.peers()) {
            out.append("\n[Peer]\n");
            line(out, "PublicKey", p.publicKey().toBase64());
            p.presharedKey().ifPresent(k -> line(out, "PresharedKey", k.toBase64()));
            if (!p.allowedIps().isEmpty()) {
                line(out, "AllowedIPs", p.allowedIps().stream().map(IpPrefix::toString).collect(Collectors.joining(", ")));
            }
            p.endpoint().ifPresent(e -> line(out, "Endpoint", e.toString()));
            if (p.persistentKeepalive() != 0) line(out, "PersistentKeepalive", Integer.toString(p.persistentKeepalive()));
        }
        return out.toString();
    }

    private static void line(StringBuilder out, String key, String value) {
        out.append(key).append(" = ").append(value).append('\n');
    }

    private static String address(InetAddress address) {
        return IpText.format(address.getAddress());
    }
}
