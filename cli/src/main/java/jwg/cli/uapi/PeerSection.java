package jwg.cli.uapi;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import jwg.datapath.AllowedIpChange;
import jwg.datapath.PeerUpdate;

/**
 * The lines of a `set` that follow one public_key line, up to the next one: the peer keys of
 * wireguard-go's handlePeerLine. Every value is checked as it arrives; lines after remove=true
 * are checked and then ignored, as wireguard-go ignores them.
 */
final class PeerSection {
    private final byte[] publicKey;
    private boolean remove;
    private boolean updateOnly;
    private byte[] presharedKey;
    private InetSocketAddress endpoint;
    private OptionalInt persistentKeepalive = OptionalInt.empty();
    private boolean replaceAllowedIps;
    private final List<AllowedIpChange> allowedIps = new ArrayList<>();

    PeerSection(byte[] publicKey) {
        this.publicKey = publicKey;
    }

    void line(String key, String value) throws UapiException {
        switch (key) {
            case "update_only" -> {
                UapiSyntax.flag(value, key);
                updateOnly = true;
            }
            case "remove" -> {
                UapiSyntax.flag(value, key);
                remove = true;
            }
            case "preshared_key" -> presharedKey = UapiSyntax.key(value, key);
            case "endpoint" -> endpoint = UapiSyntax.endpoint(value);
            case "persistent_keepalive_interval" -> persistentKeepalive = OptionalInt.of((int) UapiSyntax.unsigned(value, 0xffff, key));
            case "replace_allowed_ips" -> {
                UapiSyntax.flag(value, key);
                // In line order, as wireguard-go applies it: what this section added before is gone too.
                replaceAllowedIps = true;
                allowedIps.clear();
            }
            // "allowed_ip=-PREFIX" removes one prefix (wireguard-tools' WGALLOWEDIP_REMOVE_ME over UAPI).
            case "allowed_ip" -> allowedIps.add(value.startsWith("-")
                    ? AllowedIpChange.remove(UapiSyntax.prefix(value.substring(1)))
                    : AllowedIpChange.add(UapiSyntax.prefix(value)));
            case "protocol_version" -> {
                if (!value.equals("1")) throw UapiException.invalid("invalid protocol_version " + UapiSyntax.quote(value) + ": only 1 is known");
            }
            default -> throw UapiException.invalid("invalid UAPI peer key " + UapiSyntax.quote(key));
        }
    }

    PeerUpdate update() {
        if (remove) {
            return new PeerUpdate(publicKey, true, false, Optional.empty(), Optional.empty(), OptionalInt.empty(), false, List.of());
        }
        return new PeerUpdate(publicKey, false, updateOnly, Optional.ofNullable(presharedKey), Optional.ofNullable(endpoint),
                persistentKeepalive, replaceAllowedIps, allowedIps);
    }
}
