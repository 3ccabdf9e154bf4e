package jwg.cli.uapi;

import jwg.net.IpPrefix;
import java.io.IOException;
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

    /**
     * About the heap a snapshot holds while its reply is written, for the socket's
     * {@link RequestBudget}: a PeerState with its keys and endpoint, ~300 bytes, and ~100 an
     * allowed IP (its record and array); the reply itself goes out through ReplyWriter's buffer.
     */
    static long estimate(DeviceState s) {
        long bytes = 1024;
        for (PeerState p : s.peers()) bytes += 320 + 96L * p.allowedIps().size();
        return bytes;
    }

    static void write(DeviceState s, Appendable out) throws IOException {
        if (s.privateKey().isPresent()) line(out, "private_key", UapiSyntax.hex(s.privateKey().get()));
        if (s.listenPort() != 0) line(out, "listen_port", Integer.toString(s.listenPort()));
        if (s.fwmark() != 0) line(out, "fwmark", Integer.toUnsignedString(s.fwmark()));
        for (PeerState p : s.peers()) {
            line(out, "public_key", UapiSyntax.hex(p.publicKey()));
            line(out, "preshared_key", UapiSyntax.hex(p.presharedKey()));
            line(out, "protocol_version", "1");
            if (p.endpoint().isPresent()) line(out, "endpoint", UapiSyntax.endpoint(p.endpoint().get()));
            line(out, "last_handshake_time_sec", Long.toString(p.lastHandshakeEpochNanos() / NANOS));
            line(out, "last_handshake_time_nsec", Long.toString(p.lastHandshakeEpochNanos() % NANOS));
            line(out, "tx_bytes", Long.toUnsignedString(p.txBytes()));
            line(out, "rx_bytes", Long.toUnsignedString(p.rxBytes()));
            line(out, "persistent_keepalive_interval", Integer.toString(p.persistentKeepalive()));
            for (IpPrefix a : p.allowedIps()) line(out, "allowed_ip", UapiSyntax.prefix(a));
        }
    }

    private static void line(Appendable out, String key, String value) throws IOException {
        out.append(key).append('=').append(value).append('\n');
    }
}
