package jwg.config;

import java.util.Map;

/** What each fixture in bad/ must produce, and which layer of `wg-quick up` refuses it. */
final class BadFixtures {
    /** Who refuses the file in `wg-quick up`. */
    enum RefusedBy {
        /** wg's config parser (checkable with `wg setconf`). */
        WG,
        /** wg-quick's own parse_options (checkable with `wg-quick strip`). */
        WG_QUICK,
        /** a command wg-quick runs while bringing the interface up (ip, resolvconf). */
        UP,
        /** nobody: jwg is deliberately stricter (see the message). */
        JWG_ONLY
    }

    record Expected(String message, RefusedBy refusedBy) {}

    static final Map<String, Expected> EXPECTED = Map.ofEntries(
            Map.entry("key-base64.conf", new Expected(
                    "wg0.conf:2: PrivateKey: a key must be base64, this has other characters", RefusedBy.WG)),
            Map.entry("key-length.conf", new Expected(
                    "wg0.conf:5: PublicKey: a key is 44 base64 characters ending in '=', this is 38 characters", RefusedBy.WG)),
            Map.entry("key-noncanon.conf", new Expected(
                    "wg0.conf:6: PresharedKey: not a canonical base64 encoding of 32 bytes (last character before '=')", RefusedBy.WG)),
            Map.entry("unknown-key.conf", new Expected("wg0.conf:4: Foo: unknown key in [Interface]", RefusedBy.WG)),
            Map.entry("outside.conf", new Expected(
                    "wg0.conf:2: PrivateKey: outside of any section (no [Interface] or [Peer] before it)", RefusedBy.WG)),
            Map.entry("peer-no-key.conf", new Expected("wg0.conf:4: [Peer]: missing PublicKey", RefusedBy.WG)),
            Map.entry("cidr-33.conf", new Expected("wg0.conf:5: AllowedIPs: \"10.0.0.0/33\" is not a valid IP prefix", RefusedBy.WG)),
            Map.entry("cidr-129.conf", new Expected("wg0.conf:5: AllowedIPs: \"fd00::/129\" is not a valid IP prefix", RefusedBy.WG)),
            Map.entry("cidr-address.conf", new Expected(
                    "wg0.conf:9: AllowedIPs: \"10.0.0.300/24\" is not a valid IP prefix", RefusedBy.WG)),
            Map.entry("cidr-empty.conf", new Expected("wg0.conf:4: AllowedIPs: \"\" is not a valid IP prefix", RefusedBy.WG)),
            Map.entry("port-range.conf", new Expected(
                    "wg0.conf:3: ListenPort: \"65536\" is not a port number (0-65535)", RefusedBy.JWG_ONLY)),
            Map.entry("port-text.conf", new Expected(
                    "wg0.conf:2: ListenPort: \"fifty\" is not a port number (0-65535)", RefusedBy.WG)),
            Map.entry("mtu-text.conf", new Expected("wg0.conf:3: MTU: \"1420abc\" is not a number", RefusedBy.UP)),
            Map.entry("mtu-range.conf", new Expected("wg0.conf:2: MTU: 40 is out of range (68-65535)", RefusedBy.UP)),
            Map.entry("table-bad.conf", new Expected(
                    "wg0.conf:2: Table: \"my table\" is not a routing table (off, auto, a number or a table name)", RefusedBy.UP)),
            Map.entry("endpoint-port.conf", new Expected(
                    "wg0.conf:4: Endpoint: \"vpn.example.com\" has no :port", RefusedBy.WG)),
            Map.entry("endpoint-bracket.conf", new Expected(
                    "wg0.conf:4: Endpoint: \"[2001:db8::1:51820\" has no closing ']'", RefusedBy.WG)),
            Map.entry("endpoint-ipv4.conf", new Expected(
                    "wg0.conf:4: Endpoint: \"10.0.0.300\" is not a valid IPv4 address", RefusedBy.WG)),
            Map.entry("fwmark-bad.conf", new Expected(
                    "wg0.conf:2: FwMark: \"0X10\" is neither off nor a number 0-0xffffffff", RefusedBy.WG)),
            Map.entry("keepalive-big.conf", new Expected(
                    "wg0.conf:4: PersistentKeepalive: \"65536\" is neither off nor a number of seconds 0-65535", RefusedBy.WG)),
            Map.entry("saveconfig-bad.conf", new Expected(
                    "wg0.conf:2: SaveConfig: \"yes\" is neither true nor false", RefusedBy.WG_QUICK)),
            Map.entry("address-bad.conf", new Expected(
                    "wg0.conf:2: Address: \"10.0.0.256/24\" is not a valid IP address with optional /prefix", RefusedBy.UP)),
            Map.entry("address-twice.conf", new Expected(
                    "wg0.conf:3: Address: 10.0.0.1/24 repeats the address 10.0.0.1/24 (ip address add would fail)", RefusedBy.UP)),
            Map.entry("dns-bad.conf", new Expected(
                    "wg0.conf:2: DNS: \"1.1.1.300\" is not a valid IPv4 address for a DNS server", RefusedBy.UP)),
            Map.entry("empty-value.conf", new Expected("wg0.conf:4: AllowedIPs: empty value", RefusedBy.WG)),
            Map.entry("quick-in-peer.conf", new Expected("wg0.conf:4: Address: not valid in [Peer]", RefusedBy.WG)),
            Map.entry("spaced-header.conf", new Expected(
                    "wg0.conf:3: Address: wg-quick reads this key only after a header written exactly [Interface]", RefusedBy.WG)),
            Map.entry("unknown-section.conf", new Expected(
                    "wg0.conf:3: [Peers]: unknown section (expected [Interface] or [Peer])", RefusedBy.WG)),
            Map.entry("pasted-key.conf", new Expected("wg0.conf:2: line: unknown key in [Interface]", RefusedBy.WG)));

    private BadFixtures() {}
}
