package jwg.cli.uapi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import jwg.cli.testing.NetNs;
import jwg.datapath.Device;
import jwg.tun.TunDevice;

/**
 * Fuzz target (for jwg.cli.CliFuzzTest) of the configuration protocol's `set`, end to end: a real
 * device in a network namespace, served by a {@link UapiServer}, and a client that sends a set
 * made of the fuzzer's choices among keys and values good and bad (or raw bytes). Checked: the
 * reply is errno=0 or one of wireguard-go's errno values, or the connection is closed (a line
 * too long); a refused set leaves the device's state, as `get` reports it, as it was; an accepted
 * one, sent again, is accepted again and changes nothing more. Each input starts from the same
 * configuration, set with replace_peers.
 */
public final class UapiSetFuzz {
    private UapiSetFuzz() {}

    private static final String K1 = SetParserTest.K1;
    private static final String K2 = SetParserTest.K2;
    private static final String K3 = SetParserTest.K3;
    private static final String BASE = "set=1\nprivate_key=" + K1 + "\nlisten_port=41641\nfwmark=0\nreplace_peers=true\n"
            + "public_key=" + K2 + "\nendpoint=192.0.2.1:51820\nallowed_ip=10.9.0.0/16\npersistent_keepalive_interval=25\n\n";
    private static final Set<String> ERRNOS = Set.of("errno=-5\n\n", "errno=-12\n\n", "errno=-22\n\n", "errno=-71\n\n", "errno=-98\n\n");
    private static final String[] KEYS = {
        "private_key", "listen_port", "fwmark", "replace_peers", "public_key", "preshared_key", "endpoint",
        "persistent_keepalive_interval", "replace_allowed_ips", "allowed_ip", "remove", "update_only",
        "protocol_version", "last_handshake_time_sec", "Listen_port", ""};
    private static final String[] VALUES = {
        K1, K2, K3, "0000000000000000000000000000000000000000000000000000000000000000", K1.toUpperCase(), K1.substring(2),
        "true", "false", "", "0", "1", "41641", "65535", "65536", "4294967295", "4294967296", "+1", "-1", "0x10",
        "192.0.2.7:1", "[2001:db8::1]:51820", "[fe80::1%lo]:1", "192.0.2.7", "host:1", "10.0.0.0/8", "10.0.0.1/32",
        "::/0", "fd00::/129", "10.0.0.0/08", "1.2.3.4/33", "0.0.0.0/0"};

    private static NetNs ns;
    private static Device device;
    private static UapiServer server;
    private static SocketChannel client;

    public static void run(FuzzedDataProvider data) throws Exception {
        start();
        assertEquals("errno=0\n\n", exchange(BASE), "the starting configuration");
        String before = get();
        String request = data.consumeBoolean() ? generated(data) : raw(data.consumeRemainingAsString());
        String reply = exchange(request);
        if ("errno=-5\n\n".equals(reply)) { // EIO: the server closes the connection
            client.close();
            client = null;
        }
        if (reply == null) { // a line too long closes the connection, after errno=-5
            client = null;
            assertEquals(before, get(), "a set refused for its length changes nothing");
            return;
        }
        if (!reply.equals("errno=0\n\n")) {
            assertTrue(ERRNOS.contains(reply), "an errno wireguard-go knows: " + reply);
            assertEquals(before, get(), "a refused set changes nothing");
            return;
        }
        String after = get();
        assertEquals("errno=0\n\n", exchange(request), "the same set, again");
        // listen_port=0 picks a port at random each time
        boolean randomPort = request.lines().anyMatch(l -> l.matches("listen_port=0+"));
        assertEquals(withoutPort(after, randomPort), withoutPort(get(), randomPort), "the same set, again, changes nothing more");
    }

    private static String withoutPort(String state, boolean drop) {
        return drop ? state.replaceFirst("listen_port=\\d+\n", "") : state;
    }

    /** Raw text as the body of one set: without empty lines, which would end it early. */
    private static String raw(String body) {
        String lines = body.replaceAll("\n+", "\n").replaceFirst("^\n", "").replaceFirst("\n$", "");
        return "set=1\n" + (lines.isEmpty() ? "" : lines + "\n") + "\n";
    }

    /** A set of lines chosen among keys and values, some spoiled, some raw. */
    private static String generated(FuzzedDataProvider data) {
        StringBuilder out = new StringBuilder("set=1\n");
        for (int n = data.consumeInt(0, 12); n > 0; n--) {
            String line = switch (data.consumeInt(0, 7)) {
                case 0 -> data.consumeString(30).replace('\n', ' ');
                case 1 -> data.pickValue(KEYS) + "=" + data.consumeString(30).replace('\n', ' ');
                default -> data.pickValue(KEYS) + "=" + data.pickValue(VALUES);
            };
            if (!line.isEmpty()) out.append(line).append('\n'); // an empty line would end the set
        }
        return out.append('\n').toString();
    }

    private static String get() throws IOException {
        String reply = exchange("get=1\n\n");
        assertTrue(reply != null && reply.endsWith("errno=0\n\n"), "get: " + reply);
        return reply;
    }

    /** Sends request and reads the reply up to its empty line; null if the server closed the connection. */
    private static String exchange(String request) throws IOException {
        if (client == null) client = SocketChannel.open(UnixDomainSocketAddress.of(server.path()));
        ByteBuffer out = ByteBuffer.wrap(request.getBytes(StandardCharsets.ISO_8859_1));
        try {
            while (out.hasRemaining()) client.write(out);
        } catch (IOException e) {
            // closed while we wrote: read what it said
        }
        StringBuilder in = new StringBuilder();
        ByteBuffer b = ByteBuffer.allocate(4096);
        while (!(in.length() >= 2 && in.charAt(in.length() - 1) == '\n' && in.charAt(in.length() - 2) == '\n'
                && in.lastIndexOf("errno=") >= 0)) {
            b.clear();
            int r;
            try {
                r = client.read(b);
            } catch (IOException e) {
                r = -1;
            }
            if (r < 0) {
                client.close();
                client = null;
                return null;
            }
            in.append(new String(b.array(), 0, r, StandardCharsets.ISO_8859_1));
        }
        return in.toString();
    }

    private static void start() throws Exception {
        if (device != null) return;
        ns = NetNs.create();
        String name = NetNs.uniqueName("jwgf");
        device = ns.call(() -> Device.start(TunDevice.open(name), 1420));
        server = UapiServer.start(name, UapiTarget.of(device));
    }

    public static void close() throws Exception {
        if (client != null) client.close();
        if (server != null) server.close();
        if (device != null) device.close();
        if (ns != null) ns.close();
    }
}
