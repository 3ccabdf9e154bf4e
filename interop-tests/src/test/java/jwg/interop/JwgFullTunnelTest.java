package jwg.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import jwg.interop.fixture.Addrs;
import jwg.interop.fixture.JwgProcess;
import jwg.interop.fixture.Netns;
import jwg.interop.fixture.Poll;
import jwg.interop.fixture.Veth;
import jwg.interop.fixture.WgConfig;
import jwg.interop.fixture.WgKeys;
import jwg.interop.fixture.WireguardGoPeer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A full tunnel through jwg, end to end: "client" runs jwg.jar on a wg-quick file whose peer has
 * AllowedIPs = 0.0.0.0/0, ::/0; "server" runs wireguard-go and has addresses (on its lo) that the
 * client can reach only through the tunnel. Checks wg-quick's policy routing in the client
 * namespace, the marked socket, that traffic to the outside goes through the tunnel while the
 * encrypted UDP does not loop into it, the hooks, and that SIGTERM leaves the client namespace as
 * it was (but for src_valid_mark, which wg-quick down leaves at 1 too).
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class JwgFullTunnelTest {
    static final String UNDERLAY_C = "192.168.78.1/24,fd78::1/64";
    static final String UNDERLAY_S = "192.168.78.2/24,fd78::2/64";
    static final String TUNNEL_C = "10.78.0.1/24,fd0a:78::1/64";
    static final String TUNNEL_S = "10.78.0.2/24,fd0a:78::2/64";
    /** Outside the tunnel: on the server's lo, no route to them in the client but the tunnel. */
    static final String OUTSIDE_V4 = "198.51.100.1";
    static final String OUTSIDE_V6 = "2001:db8:100::1";
    static final int PORT_C = 51831;
    static final int PORT_S = 51832;
    static final int TABLE = 51820;
    static final Duration UP = Duration.ofSeconds(90);

    Netns client;
    Netns server;
    WgKeys.KeyPair kc;
    WgKeys.KeyPair ks;
    JwgProcess jwg;
    WireguardGoPeer go;
    Path hookFile;

    @BeforeEach
    void underlay() {
        client = Netns.create("ftc");
        server = Netns.create("fts");
        Veth.connect(client, UNDERLAY_C, server, UNDERLAY_S, 1500);
        kc = WgKeys.generate();
        ks = WgKeys.generate();
    }

    @AfterEach
    void tearDown() throws IOException {
        Closing.closeAll(jwg, go, client, server);
        if (hookFile != null) Files.deleteIfExists(hookFile);
    }

    @Test
    void everythingGoesThroughTheTunnelAndSigtermRestoresTheNamespace() {
        go = WireguardGoPeer.start(server, WgConfig.of(ks, PORT_S).withAddresses(TUNNEL_S)
                .withPeer(WgConfig.Peer.of(kc.publicKey(), "10.78.0.1/32,fd0a:78::1/128")));
        server.execOk("ip", "address", "add", OUTSIDE_V4 + "/32", "dev", "lo");
        server.execOk("ip", "address", "add", OUTSIDE_V6 + "/128", "dev", "lo");

        // the veth's IPv6 link-local address (and its local route) comes after DAD: wait for it
        Poll.until(Duration.ofSeconds(30), "IPv6 link-local addresses in " + client.name(), () ->
                client.ip("-6", "address", "show", "scope", "link").contains("fe80::")
                        && client.ip("-6", "address", "show", "tentative").isBlank());
        Map<String, String> before = client.routingState();
        assertEquals("0", client.execOk("sysctl", "-n", "net.ipv4.conf.all.src_valid_mark").stdout().strip());
        assertFalse(client.exec("ping", "-c", "1", "-W", "1", OUTSIDE_V4).ok(), "no way to the outside without the tunnel");

        String ifName = JwgProcess.uniqueIfName();
        hookFile = Path.of("/tmp/jwg-fulltunnel-" + ifName);
        Path conf = client.logDir().resolve(ifName + ".conf");
        String text = """
                [Interface]
                PrivateKey = %s
                ListenPort = %d
                Address = %s
                PostUp = touch /tmp/jwg-fulltunnel-%%i
                PostDown = rm /tmp/jwg-fulltunnel-%%i

                [Peer]
                PublicKey = %s
                AllowedIPs = 0.0.0.0/0, ::/0
                Endpoint = %s
                """.formatted(kc.privateKey(), PORT_C, String.join(", ", Addrs.split(TUNNEL_C)), ks.publicKey(),
                Addrs.endpoint(Addrs.ipv4(UNDERLAY_S), PORT_S));
        JwgProcess.writeConfig(conf, text);
        jwg = JwgProcess.start(client, ifName, conf);
        Poll.until(UP, "PostUp of " + ifName + " (log " + jwg.log() + ")", () -> {
            if (!jwg.isAlive()) throw new IllegalStateException("jwg exited: " + jwg.logTail(600));
            return Files.exists(hookFile);
        });
        // The UAPI server starts after PostUp; `wg` below must not find a socket that is not yet listening.
        Poll.until(UP, "jwg's \"is up\" line (log " + jwg.log() + ")", () -> jwg.logTail(20_000).contains("is up: UDP port"));

        // wg-quick's policy routing, per family
        for (String family : List.of("-4", "-6")) {
            String rules = client.ip(family, "rule");
            assertTrue(Pattern.compile("(?m)^\\d+:\\s+not from all fwmark 0xca6c lookup " + TABLE + "\\s*$").matcher(rules).find()
                    || Pattern.compile("(?m)^\\d+:\\s+from all not fwmark 0xca6c lookup " + TABLE + "\\s*$").matcher(rules).find(), rules);
            assertTrue(Pattern.compile("(?m)^\\d+:\\s+from all lookup main suppress_prefixlength 0\\s*$").matcher(rules).find(), rules);
            String table = client.ip(family, "route", "show", "table", Integer.toString(TABLE));
            assertTrue(table.strip().startsWith("default dev " + ifName), family + " table " + TABLE + ": " + table);
            assertEquals(1, table.strip().lines().count(), table);
        }
        assertTrue(client.ip("-4", "route", "get", OUTSIDE_V4).contains("dev " + ifName + " table " + TABLE),
                client.ip("-4", "route", "get", OUTSIDE_V4));
        assertEquals(TABLE, jwg.dump().fwmark(), "the UDP socket is marked (wg show through jwg's UAPI)");
        assertEquals("0xca6c", client.execOk("wg", "show", ifName, "fwmark").stdout().strip());
        assertEquals("1", client.execOk("sysctl", "-n", "net.ipv4.conf.all.src_valid_mark").stdout().strip());
        String nft = client.execOk("nft", "list", "ruleset").stdout();
        assertTrue(nft.contains("table ip wg-quick-" + ifName), nft);
        assertTrue(nft.contains("table ip6 wg-quick-" + ifName), nft);

        // traffic to the outside goes through the tunnel
        long rx0 = go.dump().peer(kc.publicKey()).map(p -> p.rxBytes()).orElse(0L);
        Traffic.pingUntilAnswered(Traffic.Host.of(client), OUTSIDE_V4, 30);
        Traffic.ping(Traffic.Host.of(client), OUTSIDE_V6);
        long rx1 = go.dump().peer(kc.publicKey()).orElseThrow().rxBytes();
        assertTrue(rx1 > rx0, "wireguard-go received the pings through the tunnel: rx " + rx0 + " -> " + rx1);
        go.awaitHandshake(kc.publicKey(), Duration.ofSeconds(15));

        // the marked, encrypted UDP does not loop: a hashed bulk transfer through the tunnel works
        Traffic.transfer(Traffic.Host.of(client), Traffic.Host.of(server), OUTSIDE_V4, 5201, 8L << 20, Duration.ofSeconds(90))
                .assertIntact(8L << 20);
        long rx2 = go.dump().peer(kc.publicKey()).orElseThrow().rxBytes();
        assertTrue(rx2 - rx1 > 8L << 20, "the transfer went through the tunnel: rx " + rx1 + " -> " + rx2);
        assertTrue(jwg.isAlive(), jwg.logTail(600));

        // SIGTERM: wg-quick down
        int rc = jwg.stop();
        assertTrue(JwgProcess.CLEAN_EXIT.contains(rc), "exit " + rc + ": " + jwg.logTail(600));
        String log = readLog(jwg.log());
        assertFalse(log.contains(kc.privateKey()), "the private key is never logged");
        assertTrue(log.contains("[#] ip -4 rule add not fwmark " + TABLE + " table " + TABLE), log);
        assertFalse(client.hasLink(ifName));
        assertFalse(Files.exists(hookFile), "PostDown ran");
        assertEquals(before, client.routingState(), "the client namespace is as before");
        // wg-quick sets src_valid_mark only when it is not 1 and never resets it; jwg does the same
        assertEquals("1", client.execOk("sysctl", "-n", "net.ipv4.conf.all.src_valid_mark").stdout().strip());
    }


    private static String readLog(Path log) {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
