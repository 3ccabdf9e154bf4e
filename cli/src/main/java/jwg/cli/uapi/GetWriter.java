package jwg.cli.uapi;

import jwg.datapath.AllowedIp;
import jwg.datapath.DeviceState;
import jwg.datapath.PeerState;

/**
 * The lines of a `get=1` reply before its errno line, as wireguard-go's IpcGetOperation writes
 * them (device/uapi.go): private_key, listen_port and fwmark only when set; per peer public_key,
 * preshared_key (zeros when none), protocol_version=1, endpoint when known, the last handshake as
 * seconds and nanoseconds since the epoch (0 and 0: never), tx_bytes, rx_bytes,
 * persistent_keepalive_interval and one allowed_ip per prefix. Keys in lowercase hex.
 */
final class GetWriter {
    private GetWriter() {}

    private static final long NANOS = 1_000_000_000L;

    static void write(DeviceState s, StringBuilder out) {
        s.privateKey().ifPresent(k -> line(out, "private_key", UapiSyntax.hex(k)));
        if (s.listenPort() != 0) line(out, "listen_port", Integer.toString(s.listenPort()));
        if (s.fwmark() != 0) line(out, "fwmark", Integer.toUnsignedString(s.fwmark()));
        for (PeerState p : s.peers()) {
            line(out, "public_key", UapiSyntax.hex(p.publicKey()));
            line(out, "preshared_key", UapiSyntax.hex(p.presharedKey()));
            line(out, "protocol_version", "1");
            p.endpoint().ifPresent(e -> line(out, "endpoint", UapiSyntax.endpoint(e)));
            line(out, "last_handshake_time_sec", Long.toString(p.lastHandshakeEpochNanos() / NANOS));
            line(out, "last_handshake_time_nsec", Long.toString(p.lastHandshakeEpochNanos() % NANOS));
            line(out, "tx_bytes", Long.toUnsignedString(p.txBytes()));
            line(out, "rx_bytes", Long.toUnsignedString(p.rxBytes()));
            line(out, "persistent_keepalive_interval", Integer.toString(p.persistentKeepalive()));
            for (AllowedIp a : p.allowedIps()) line(out, "allowed_ip", UapiSyntax.prefix(a));
        }
    }

    private static void line(StringBuilder out, String key, String value) {
        out.append(key).append('=').append(value).append('\n');
    }
}
