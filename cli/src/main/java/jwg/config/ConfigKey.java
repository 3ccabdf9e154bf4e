package jwg.config;

import java.util.Arrays;
import java.util.Optional;

/** The keys of a wg-quick file: wg's (per section) and wg-quick's own ([Interface] only). */
enum ConfigKey {
    PRIVATE_KEY("PrivateKey", Owner.WG_INTERFACE),
    LISTEN_PORT("ListenPort", Owner.WG_INTERFACE),
    FW_MARK("FwMark", Owner.WG_INTERFACE),
    PUBLIC_KEY("PublicKey", Owner.WG_PEER),
    PRESHARED_KEY("PresharedKey", Owner.WG_PEER),
    ALLOWED_IPS("AllowedIPs", Owner.WG_PEER),
    ENDPOINT("Endpoint", Owner.WG_PEER),
    PERSISTENT_KEEPALIVE("PersistentKeepalive", Owner.WG_PEER),
    ADDRESS("Address", Owner.WG_QUICK),
    DNS("DNS", Owner.WG_QUICK),
    MTU("MTU", Owner.WG_QUICK),
    TABLE("Table", Owner.WG_QUICK),
    PRE_UP("PreUp", Owner.WG_QUICK),
    POST_UP("PostUp", Owner.WG_QUICK),
    PRE_DOWN("PreDown", Owner.WG_QUICK),
    POST_DOWN("PostDown", Owner.WG_QUICK),
    SAVE_CONFIG("SaveConfig", Owner.WG_QUICK);

    /** Who reads the key: wg in [Interface], wg in [Peer], or wg-quick in [Interface]. */
    enum Owner { WG_INTERFACE, WG_PEER, WG_QUICK }

    final String canonical;
    final Owner owner;

    ConfigKey(String canonical, Owner owner) {
        this.canonical = canonical;
        this.owner = owner;
    }

    /** Key names are case-insensitive in wg (strncasecmp) and wg-quick (nocasematch). */
    static Optional<ConfigKey> find(String name) {
        return Arrays.stream(values()).filter(k -> k.canonical.equalsIgnoreCase(name)).findFirst();
    }
}
