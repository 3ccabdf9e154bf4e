package jwg.interop;

import static jwg.interop.JwgWireguardGoTest.ALLOWED_G;
import static jwg.interop.JwgWireguardGoTest.ALLOWED_J;
import static jwg.interop.JwgWireguardGoTest.PORT_G;
import static jwg.interop.JwgWireguardGoTest.PORT_J;
import static jwg.interop.JwgWireguardGoTest.TUNNEL_G;
import static jwg.interop.JwgWireguardGoTest.TUNNEL_J;
import static jwg.interop.JwgWireguardGoTest.UNDERLAY_G;
import static jwg.interop.JwgWireguardGoTest.UNDERLAY_J;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import jwg.interop.fixture.Addrs;
import jwg.interop.fixture.ExecResult;
import jwg.interop.fixture.JwgProcess;
import jwg.interop.fixture.Netns;
import jwg.interop.fixture.Poll;
import jwg.interop.fixture.Veth;
import jwg.interop.fixture.WgConfig;
import jwg.interop.fixture.WgDump;
import jwg.interop.fixture.WgKeys;
import jwg.interop.fixture.WireguardGoPeer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * jwg --metrics against wireguard-go, in namespaces as {@link JwgWireguardGoTest}: scrapes while
 * traffic flows pass Debian's promtool, their values agree with jwg's own `wg show dump`, and a
 * drop made on purpose is counted.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class JwgMetricsTest {
    static final String METRICS = "127.0.0.1:9586";
    static final long BULK_BYTES = 40L << 20;

    Netns nsJ;
    Netns nsG;
    Traffic.Host hostJ;
    Traffic.Host hostG;
    WgKeys.KeyPair kj;
    WgKeys.KeyPair kg;
    JwgProcess jwg;
    WireguardGoPeer go;

    @BeforeEach
    void underlay() {
        nsJ = Netns.create("j");
        nsG = Netns.create("g");
        Veth.connect(nsJ, UNDERLAY_J, nsG, UNDERLAY_G, 1500);
        hostJ = Traffic.Host.of(nsJ);
        hostG = Traffic.Host.of(nsG);
        kj = WgKeys.generate();
        kg = WgKeys.generate();
    }

    @AfterEach
    void tearDown() {
        Closing.closeAll(jwg, go, nsJ, nsG);
    }

    @Test
    void scrapesDuringTrafficPassPromtoolAgreeWithWgShowDumpAndCountADrop() throws Exception {
        String psk = WgKeys.presharedKey();
        go = WireguardGoPeer.start(nsG, WgConfig.of(kg, PORT_G).withAddresses(TUNNEL_G)
                .withPeer(WgConfig.Peer.of(kj.publicKey(), ALLOWED_J).withPresharedKey(psk)));
        jwg = JwgProcess.start(nsJ, JwgProcess.uniqueIfName(), WgConfig.of(kj, PORT_J).withAddresses(TUNNEL_J)
                .withPeer(WgConfig.Peer.of(kg.publicKey(), ALLOWED_G).withPresharedKey(psk)
                        .withEndpoint(Addrs.ipv4(UNDERLAY_G), PORT_G)), List.of(), List.of("--metrics", METRICS));
        LogLines.await(jwg, "is up: UDP port " + PORT_J, Duration.ofSeconds(20));
        Traffic.ping(hostJ, Addrs.ipv4(TUNNEL_G));

        // Scraped (and checked by promtool) over and over while a transfer runs.
        // (On a thread of its own: the transfer's receiver takes the common pool, which has one thread on two cores.)
        CompletableFuture<Traffic.Transfer> bulk = CompletableFuture.supplyAsync(
                () -> Traffic.transfer(hostJ, hostG, Addrs.ipv4(TUNNEL_G), 5011, BULK_BYTES, Duration.ofSeconds(120)),
                task -> Thread.ofPlatform().daemon().start(task));
        List<Double> sent = new ArrayList<>();
        int duringTraffic = 0;
        while (!bulk.isDone() || sent.size() < 2) {
            boolean flowing = !bulk.isDone();
            String text = scrape();
            promtool(text);
            sent.add(value(text, "wireguard_sent_bytes_total", peerLabels()));
            if (flowing) duringTraffic++;
            Thread.sleep(300); // a scraper's pace, not a busy loop beside the transfer on two cores
        }
        bulk.join().assertIntact(BULK_BYTES);
        assertTrue(duringTraffic > 0, "a scrape while the transfer ran");
        for (int i = 1; i < sent.size(); i++) assertTrue(sent.get(i) >= sent.get(i - 1), "a counter: " + sent);
        assertTrue(sent.getLast() > BULK_BYTES, "the transfer's bytes, sealed: " + sent);

        // The tunnel quiet: the scrape lies between two dumps of jwg's own UAPI.
        WgDump before = jwg.dump();
        String text = scrape();
        WgDump after = jwg.dump();
        promtool(text);
        WgDump.Peer b = before.peer(kg.publicKey()).orElseThrow();
        WgDump.Peer a = after.peer(kg.publicKey()).orElseThrow();
        Map<String, String> labels = peerLabels();
        labels.put("allowed_ips", String.join(",", a.allowedIps()));
        assertBetween(b.txBytes(), value(text, "wireguard_sent_bytes_total", labels), a.txBytes());
        assertBetween(b.rxBytes(), value(text, "wireguard_received_bytes_total", labels), a.rxBytes());
        assertTrue(a.latestHandshake() > 0);
        assertBetween(b.latestHandshake(), value(text, "wireguard_latest_handshake_seconds", labels), a.latestHandshake());
        String[] endpoint = a.endpoint().split(":");
        assertEquals(1, value(text, "jwg_peer_endpoint_info",
                Map.of("interface", jwg.ifName(), "public_key", kg.publicKey(), "remote_ip", endpoint[0], "remote_port", endpoint[1])));
        assertEquals(after.peers().size(), value(text, "jwg_peers", Map.of("interface", jwg.ifName())));
        assertTrue(value(text, "jwg_peer_handshake_attempts_total", peerLabels()) >= 1);
        assertEquals(0, value(text, "jwg_peer_handshake_failures_total", peerLabels()), "the first attempt was answered");
        assertFalse(text.contains(kj.privateKey()) || text.contains(psk), "no private or preshared key in the metrics");

        // A packet to an address of the tunnel's prefix that no peer's allowed IPs hold: a counted drop.
        Map<String, String> noPeer = Map.of("interface", jwg.ifName(), "layer", "datapath", "reason", "no_peer_for_destination");
        double dropped = value(text, "jwg_drops_total", noPeer);
        assertFalse(Traffic.pingAnswered(hostJ, "10.9.0.99"), "no peer has 10.9.0.99");
        Poll.until(Duration.ofSeconds(5), "the drops counted", () -> value(scrape(), "jwg_drops_total", noPeer) >= dropped + 2);
    }

    private Map<String, String> peerLabels() {
        return new HashMap<>(Map.of("interface", jwg.ifName(), "public_key", kg.publicKey()));
    }

    private String scrape() {
        return nsJ.exec("curl", "-sf", "http://" + METRICS + "/metrics").orThrow().stdout();
    }

    private void promtool(String text) {
        ExecResult r = nsJ.exec(Duration.ofSeconds(20), text.getBytes(StandardCharsets.UTF_8), List.of("promtool", "check", "metrics"));
        assertTrue(r.ok(), r.describe() + "\n" + text);
    }

    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)\\})? (\\S+)$");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"([^\"]*)\"");

    /** The value of the one sample of name whose labels include these (all of them, at least). */
    private static double value(String text, String name, Map<String, String> labels) {
        List<Double> found = new ArrayList<>();
        for (String line : text.lines().toList()) {
            Matcher m = SAMPLE.matcher(line);
            if (line.startsWith("#") || !m.matches() || !m.group(1).equals(name)) continue;
            Map<String, String> have = new HashMap<>();
            Matcher l = LABEL.matcher(m.group(2) == null ? "" : m.group(2));
            while (l.find()) have.put(l.group(1), l.group(2));
            if (have.entrySet().containsAll(labels.entrySet())) found.add(Double.parseDouble(m.group(3)));
        }
        assertEquals(1, found.size(), name + labels + " in\n" + text);
        return found.getFirst();
    }

    private static void assertBetween(long low, double value, long high) {
        assertTrue(low <= value && value <= high, value + " not within [" + low + ", " + high + "]");
    }
}
