package jwg.cli.uapi;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import jwg.net.IpPrefix;
import jwg.datapath.DeviceState;
import jwg.datapath.PeerState;

/**
 * The other end of the configuration protocol, as wg(8) is: `get=1` on an interface's UAPI socket
 * (jwg's or wireguard-go's), its reply read back into a {@link DeviceState}, for `jwg save`. The
 * reply is read as strictly as a request: a key it does not know, a malformed value or an errno
 * other than 0 is an error; the counters are not needed and not kept.
 */
public final class UapiClient {
    private UapiClient() {}

    /** The device's state through the socket of interface name; the caller wipes it. */
    public static DeviceState get(String name) throws IOException {
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(UapiServer.socketPath(name)));
            ByteBuffer request = ByteBuffer.wrap("get=1\n\n".getBytes(StandardCharsets.US_ASCII));
            while (request.hasRemaining()) channel.write(request);
            return read(new LineReader(channel, UapiConnection.MAX_LINE));
        } catch (UapiException e) {
            throw new IOException("the reply of " + UapiServer.socketPath(name) + ": " + e.getMessage());
        }
    }

    /** A `get` reply, up to its errno line and the empty line after it. */
    static DeviceState read(LineReader in) throws IOException, UapiException {
        byte[] privateKey = null;
        int listenPort = 0;
        int fwmark = 0;
        List<PeerState> peers = new ArrayList<>();
        Peer peer = null;
        for (String line; (line = in.readLine()) != null; ) {
            int eq = line.indexOf('=');
            if (eq < 0) throw UapiException.protocol("a line without '='");
            String key = line.substring(0, eq);
            String value = line.substring(eq + 1);
            switch (key) {
                case "errno" -> {
                    if (!value.equals("0")) throw UapiException.io("errno=" + value);
                    if (peer != null) peers.add(peer.state());
                    return new DeviceState(Optional.ofNullable(privateKey), listenPort, fwmark, peers);
                }
                case "private_key" -> privateKey = UapiSyntax.key(value, key);
                case "listen_port" -> listenPort = (int) UapiSyntax.unsigned(value, 0xffff, key);
                case "fwmark" -> fwmark = (int) UapiSyntax.unsigned(value, 0xffff_ffffL, key);
                case "public_key" -> {
                    if (peer != null) peers.add(peer.state());
                    peer = new Peer(UapiSyntax.key(value, key));
                }
                default -> {
                    if (peer == null) throw UapiException.invalid("unknown device key " + UapiSyntax.quote(key));
                    peer.line(key, value);
                }
            }
        }
        throw UapiException.io("the reply ended before its errno line");
    }

    /** One peer of the reply, as it is read. */
    private static final class Peer {
        private final byte[] publicKey;
        private byte[] presharedKey = new byte[UapiSyntax.KEY_LENGTH];
        private InetSocketAddress endpoint;
        private int keepalive;
        private final List<IpPrefix> allowed = new ArrayList<>();

        Peer(byte[] publicKey) {
            this.publicKey = publicKey;
        }

        void line(String key, String value) throws UapiException {
            switch (key) {
                case "preshared_key" -> presharedKey = UapiSyntax.key(value, key);
                case "endpoint" -> endpoint = UapiSyntax.endpoint(value);
                case "persistent_keepalive_interval" -> keepalive = (int) UapiSyntax.unsigned(value, 0xffff, key);
                case "allowed_ip" -> allowed.add(UapiSyntax.prefix(value));
                case "protocol_version", "last_handshake_time_sec", "last_handshake_time_nsec", "tx_bytes", "rx_bytes" -> {
                    if (value.isEmpty() || !value.chars().allMatch(c -> c >= '0' && c <= '9')) { // unsigned 64-bit: not kept
                        throw UapiException.invalid("invalid " + key + " " + UapiSyntax.quote(value));
                    }
                }
                default -> throw UapiException.invalid("unknown peer key " + UapiSyntax.quote(key));
            }
        }

        PeerState state() {
            return new PeerState(publicKey, presharedKey, Optional.ofNullable(endpoint), 0, 0, 0, keepalive, allowed);
        }
    }
}
