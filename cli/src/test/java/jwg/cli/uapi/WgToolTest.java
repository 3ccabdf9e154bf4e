package jwg.cli.uapi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import jwg.cli.testing.Cmd;
import jwg.cli.testing.Keys;
import jwg.cli.testing.LiveInterface;
import jwg.cli.testing.NetNs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real wg(8) (wireguard-tools from Debian) against an interface served in this process, as it
 * would drive wireguard-go: show, show dump, set, setconf, showconf, syncconf.
 */
class WgToolTest {
    @TempDir
    Path dir;
    private NetNs ns;
    private LiveInterface wg;
    private String name;

    @BeforeEach
    void start() throws Exception {
        ns = NetNs.create();
        name = NetNs.uniqueName("jwgw");
        wg = LiveInterface.start(ns, name);
    }

    @AfterEach
    void stop() throws Exception {
        if (wg != null) wg.close();
        ns.close();
    }

    @Test
    void showAndDumpOfAFreshInterface() throws Exception {
        int port = wg.device.listenPort();
        String show = Cmd.ok("wg", "show", name).out();
        assertTrue(show.contains("interface: " + name), show);
        assertTrue(show.contains("listening port: " + port), show);
        assertEquals("(none)\t(none)\t" + port + "\toff\n", Cmd.ok("wg", "show", name, "dump").out());
        assertTrue(Cmd.ok("wg", "show", "interfaces").out().contains(name));
    }

    @Test
    void setPeersAllowedIpsListenPortFwmarkAndRemove() throws Exception {
        Keys me = Keys.generate();
        Keys a = Keys.generate();
        Keys b = Keys.generate();
        String psk = Keys.psk();
        Path keyFile = write("key", me.privateKey());
        Path pskFile = write("psk", psk);
        int port = freePort();
        Cmd.ok("wg", "set", name, "private-key", keyFile.toString(), "listen-port", Integer.toString(port), "fwmark", "0x1234",
                "peer", a.publicKey(), "preshared-key", pskFile.toString(), "endpoint", "192.0.2.1:51820",
                "allowed-ips", "10.1.0.0/16,fd01::/64",
                "peer", b.publicKey(), "allowed-ips", "10.2.0.0/16", "endpoint", "[2001:db8::2]:7");
        List<String[]> d = dump();
        assertEquals(List.of(me.privateKey(), me.publicKey(), Integer.toString(port), "0x1234"), Arrays.asList(d.get(0)));
        assertEquals(List.of(a.publicKey(), psk, "192.0.2.1:51820", "10.1.0.0/16,fd01::/64", "0", "0", "0", "off"), Arrays.asList(d.get(1)));
        assertEquals(List.of(b.publicKey(), "(none)", "[2001:db8::2]:7", "10.2.0.0/16"), Arrays.asList(d.get(2)).subList(0, 4));

        Cmd.ok("wg", "set", name, "peer", b.publicKey(), "allowed-ips", "10.1.0.0/16,10.3.0.0/16", "persistent-keepalive", "25");
        d = dump();
        assertEquals("fd01::/64", d.get(1)[3], "10.1.0.0/16 moved to the peer it was given to");
        assertEquals("10.1.0.0/16,10.3.0.0/16", d.get(2)[3]);
        assertEquals("25", d.get(2)[7]);

        Cmd.ok("wg", "set", name, "fwmark", "0", "peer", a.publicKey(), "remove");
        d = dump();
        assertEquals("off", d.get(0)[3]);
        assertEquals(2, d.size());
        assertEquals(b.publicKey(), d.get(1)[0]);
    }

    /** As with wireguard-go and the kernel: an IPv4-mapped endpoint is shown as given, not as IPv4. */
    @Test
    void anIpv4MappedEndpointIsShownAsGiven() throws Exception {
        Keys a = Keys.generate();
        Cmd.ok("wg", "set", name, "peer", a.publicKey(), "endpoint", "[::ffff:192.0.2.1]:51820");
        assertEquals("[::ffff:192.0.2.1]:51820", dump().get(1)[2]);
        assertTrue(Cmd.ok("wg", "showconf", name).out().contains("\nEndpoint = [::ffff:192.0.2.1]:51820\n"));
    }

    @Test
    void aSetThatFailsChangesNothing() throws Exception {
        Keys a = Keys.generate();
        int before = wg.device.listenPort();
        try (DatagramSocket taken = ns.call(() -> new DatagramSocket(new InetSocketAddress(InetAddress.getByName("0.0.0.0"), 0)))) {
            Cmd.Result r = Cmd.run(List.of("wg", "set", name, "listen-port", Integer.toString(taken.getLocalPort()),
                    "peer", a.publicKey(), "allowed-ips", "10.9.0.0/16"));
            assertEquals(1, r.status());
            assertTrue(r.err().contains("Address already in use"), r.err());
        }
        List<String[]> d = dump();
        assertEquals(1, d.size(), "the peer of the failed set was not added");
        assertEquals(Integer.toString(before), d.get(0)[2]);
    }

    @Test
    void setconfThenShowconf() throws Exception {
        Keys me = Keys.generate();
        Keys a = Keys.generate();
        String psk = Keys.psk();
        int port = freePort();
        String conf = """
                [Interface]
                ListenPort = %d
                FwMark = 0x20
                PrivateKey = %s

                [Peer]
                PublicKey = %s
                PresharedKey = %s
                AllowedIPs = fd05::/64, 10.5.0.0/24, 10.6.0.1/32
                Endpoint = 192.0.2.9:51820
                PersistentKeepalive = 30
                """.formatted(port, me.privateKey(), a.publicKey(), psk);
        Cmd.ok("wg", "setconf", name, write(name + ".conf", conf).toString());
        assertEquals(conf, Cmd.ok("wg", "showconf", name).out());
    }

    @Test
    void syncconfRemovesChangesAndAddsPeers() throws Exception {
        Keys me = Keys.generate();
        Keys a = Keys.generate();
        Keys b = Keys.generate();
        Keys c = Keys.generate();
        Cmd.ok("wg", "setconf", name, write("1.conf", """
                [Interface]
                PrivateKey = %s
                [Peer]
                PublicKey = %s
                AllowedIPs = 10.1.0.0/16
                [Peer]
                PublicKey = %s
                AllowedIPs = 10.2.0.0/16
                """.formatted(me.privateKey(), a.publicKey(), b.publicKey())).toString());
        int port = wg.device.listenPort();
        Cmd.ok("wg", "syncconf", name, write("2.conf", """
                [Interface]
                PrivateKey = %s
                [Peer]
                PublicKey = %s
                AllowedIPs = 10.3.0.0/16
                Endpoint = 192.0.2.3:3
                [Peer]
                PublicKey = %s
                AllowedIPs = 10.4.0.0/16
                """.formatted(me.privateKey(), b.publicKey(), c.publicKey())).toString());
        List<String[]> d = dump();
        // wg sends listen_port=0 for a file without ListenPort: a new random port, as with the kernel and wireguard-go.
        assertNotEquals(Integer.toString(port), d.get(0)[2]);
        assertEquals(3, d.size());
        assertEquals(List.of(b.publicKey(), "(none)", "192.0.2.3:3", "10.3.0.0/16"), Arrays.asList(d.get(1)).subList(0, 4));
        assertEquals(List.of(c.publicKey(), "(none)", "(none)", "10.4.0.0/16"), Arrays.asList(d.get(2)).subList(0, 4));
    }

    /** wireguard-tools newer than Debian's send "allowed_ip=-PREFIX" for `wg set ... allowed-ips -PREFIX`. */
    @Test
    void removingOnePrefixOverTheProtocol() throws Exception {
        Keys a = Keys.generate();
        Cmd.ok("wg", "set", name, "peer", a.publicKey(), "allowed-ips", "10.1.0.0/16,10.2.0.0/16,fd00::/8");
        assertEquals("errno=0\n\n", uapi("set=1\npublic_key=" + Keys.hex(a.publicKey()) + "\nallowed_ip=-10.2.0.0/16\nallowed_ip=-fd00::/8\n\n"));
        assertEquals("10.1.0.0/16", dump().get(1)[3]);
    }

    @Test
    void getRepliesAsWireguardGoDoes() throws Exception {
        Keys a = Keys.generate();
        Cmd.ok("wg", "set", name, "peer", a.publicKey(), "allowed-ips", "10.1.0.0/16", "endpoint", "192.0.2.1:5");
        assertEquals("""
                listen_port=%d
                public_key=%s
                preshared_key=0000000000000000000000000000000000000000000000000000000000000000
                protocol_version=1
                endpoint=192.0.2.1:5
                last_handshake_time_sec=0
                last_handshake_time_nsec=0
                tx_bytes=0
                rx_bytes=0
                persistent_keepalive_interval=0
                allowed_ip=10.1.0.0/16
                errno=0

                """.formatted(wg.device.listenPort(), Keys.hex(a.publicKey())), uapi("get=1\n\n"));
    }

    private String uapi(String request) throws IOException {
        try (SocketChannel c = SocketChannel.open(UnixDomainSocketAddress.of(UapiServer.socketPath(name)))) {
            c.write(ByteBuffer.wrap(request.getBytes(StandardCharsets.US_ASCII)));
            StringBuilder reply = new StringBuilder();
            ByteBuffer b = ByteBuffer.allocate(4096);
            while (reply.indexOf("\n\n") < 0 && c.read(b.clear()) > 0) reply.append(StandardCharsets.US_ASCII.decode(b.flip()));
            return reply.toString();
        }
    }

    private List<String[]> dump() throws Exception {
        return Cmd.ok("wg", "show", name, "dump").out().lines().map(l -> l.split("\t")).toList();
    }

    private Path write(String file, String content) throws IOException {
        Path p = dir.resolve(file);
        Files.writeString(p, content);
        return p;
    }

    private int freePort() throws Exception {
        return ns.call(() -> {
            try (DatagramSocket s = new DatagramSocket(0)) {
                return s.getLocalPort();
            }
        });
    }
}
