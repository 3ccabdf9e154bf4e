package jwg.cli.uapi;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import jwg.datapath.DeviceUpdate;
import jwg.datapath.PeerUpdate;

/**
 * The body of a `set=1` request (wireguard.com/xplatform), fed line by line: device keys first,
 * then, from each public_key line on, the keys of that peer ({@link PeerSection}). Each line is
 * checked as it comes, with wireguard-go's errno for each mistake (device/uapi.go): a line without
 * '=' is EPROTO, an unknown key or a malformed value EINVAL. Nothing is applied here: unlike
 * wireguard-go, which applies line by line, the whole {@link #update} goes to the device at once,
 * so a request with a bad line changes nothing.
 */
final class SetParser {
    private byte[] privateKey;
    private OptionalInt listenPort = OptionalInt.empty();
    private OptionalInt fwmark = OptionalInt.empty();
    private boolean replacePeers;
    private final List<PeerUpdate> peers = new ArrayList<>();
    private PeerSection peer;

    void line(String line) throws UapiException {
        int eq = line.indexOf('=');
        if (eq < 0) throw UapiException.protocol("failed to parse a line: no '='");
        String key = line.substring(0, eq);
        String value = line.substring(eq + 1);
        if (key.equals("public_key")) {
            endPeer();
            peer = new PeerSection(UapiSyntax.key(value, key));
        } else if (peer != null) {
            peer.line(key, value);
        } else {
            deviceLine(key, value);
        }
    }

    private void deviceLine(String key, String value) throws UapiException {
        switch (key) {
            case "private_key" -> privateKey = UapiSyntax.key(value, key);
            case "listen_port" -> listenPort = OptionalInt.of((int) UapiSyntax.unsigned(value, 0xffff, key));
            case "fwmark" -> fwmark = OptionalInt.of((int) UapiSyntax.unsigned(value, 0xffff_ffffL, key));
            case "replace_peers" -> {
                UapiSyntax.flag(value, key);
                replacePeers = true;
            }
            default -> throw UapiException.invalid("invalid UAPI device key " + UapiSyntax.quote(key));
        }
    }

    private void endPeer() {
        if (peer != null) peers.add(peer.update());
        peer = null;
    }

    /** Everything read so far, as one change. */
    DeviceUpdate update() {
        endPeer();
        return new DeviceUpdate(Optional.ofNullable(privateKey), listenPort, fwmark, replacePeers, peers);
    }
}
