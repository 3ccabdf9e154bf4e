package jwg.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import jwg.interop.fixture.Addrs;
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
 * jwg against wireguard-go (Debian's 0.0.20220316), each in a namespace of its own, joined by a
 * veth with IPv4 and IPv6 addresses. Mostly read from the wireguard-go side ({@code wg show
 * dump}), from traffic and from jwg's log and metrics; jwg's own UAPI is tested with wg(8) in cli's tests.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class JwgWireguardGoTest {
    static final String UNDERLAY_J = "192.168.77.1/24,fd77::1/64";
    static final String UNDERLAY_G = "192.168.77.2/24,fd77::2/64";
    static final String TUNNEL_J = "10.9.0.1/24,fd09::1/64";
    static final String TUNNEL_G = "10.9.0.2/24,fd09::2/64";
    /** wireguard-go's AllowedIPs for jwg, and jwg's for wireguard-go. */
    static final String ALLOWED_J = "10.9.0.1/32,fd09::1/128";
    static final String ALLOWED_G = "10.9.0.2/32,fd09::2/128";
    static final int PORT_J = 51821;
    static final int PORT_G = 51820;
    static final Duration HANDSHAKE = Duration.ofSeconds(15);
    static final long BULK_BYTES = 20L << 20;
    static final String METRICS = "127.0.0.1:9586";
    static final long METRICS_BULK_BYTES = 40L << 20;

    Netns nsJ;
    Netns nsG;
    Veth veth;
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
        veth = Veth.connect(nsJ, UNDERLAY_J, nsG, UNDERLAY_G, 1500);
        hostJ = Traffic.Host.of(nsJ);
        hostG = Traffic.Host.of(nsG);
        kj = WgKeys.generate();
        kg = WgKeys.generate();
    }

    @AfterEach
    void tearDown() {
        Closing.closeAll(jwg, go, nsJ, nsG);   // jwg.close() also checks a clean SIGTERM stop
    }

    // ---- who initiates, PSK, underlay family ------------------------------------------------

    @Test
    void jwgInitiatesOverIpv4UnderlayWithoutPsk() {
        start(null, null, Addrs.endpoint(Addrs.ipv4(UNDERLAY_G), PORT_G), null);
        Traffic.ping(hostJ, Addrs.ipv4(TUNNEL_G));
        WgDump.Peer seen = go.awaitHandshake(kj.publicKey(), HANDSHAKE);
        assertEquals(Addrs.endpoint(Addrs.ipv4(UNDERLAY_J), PORT_J), seen.endpoint(), "wireguard-go learned jwg's endpoint");
        assertNull(seen.presharedKey());
        pingsBothWaysBothFamilies();
        assertTrue(LogLines.contains(jwg, LogLines.handshakeLine(kg.publicKey())), jwg.logTail(600));
        WgDump.Peer after = go.dump().peer(kj.publicKey()).orElseThrow();
        assertTrue(after.rxBytes() > 0 && after.txBytes() > 0, after.toString());
    }

    @Test
    void jwgInitiatesOverIpv6UnderlayWithPsk() {
        String psk = WgKeys.presharedKey();
        start(psk, psk, Addrs.endpoint(Addrs.ipv6(UNDERLAY_G), PORT_G), null);
        Traffic.ping(hostJ, Addrs.ipv6(TUNNEL_G));
        WgDump.Peer seen = go.awaitHandshake(kj.publicKey(), HANDSHAKE);
        assertEquals(Addrs.endpoint(Addrs.ipv6(UNDERLAY_J), PORT_J), seen.endpoint());
        assertEquals(psk, seen.presharedKey());
        pingsBothWaysBothFamilies();
        assertTrue(LogLines.contains(jwg, LogLines.handshakeLine(kg.publicKey())), jwg.logTail(600));
    }

    @Test
    void wireguardGoInitiatesOverIpv4UnderlayWithPskAndJwgLearnsTheEndpoint() {
        String psk = WgKeys.presharedKey();
        start(psk, psk, null, Addrs.endpoint(Addrs.ipv4(UNDERLAY_J), PORT_J));
        // jwg has no endpoint for the peer yet: what it sends first cannot leave
        assertFalse(Traffic.pingAnswered(hostJ, "-c", "1", Addrs.ipv4(TUNNEL_G)), "jwg cannot reach a peer it has no endpoint for");
        LogLines.await(jwg, "no endpoint", Duration.ofSeconds(5));
        Traffic.ping(hostG, Addrs.ipv4(TUNNEL_J));   // wireguard-go initiates
        assertEquals(Addrs.endpoint(Addrs.ipv4(UNDERLAY_J), PORT_J),
                go.awaitHandshake(kj.publicKey(), HANDSHAKE).endpoint());
        // jwg sends to the endpoint it learned from the handshake
        pingsBothWaysBothFamilies();
        LogLines.await(jwg, LogLines.handshakeLine(kg.publicKey()), HANDSHAKE);
    }

    @Test
    void wireguardGoInitiatesOverIpv6UnderlayWithoutPsk() {
        start(null, null, null, Addrs.endpoint(Addrs.ipv6(UNDERLAY_J), PORT_J));
        Traffic.ping(hostG, Addrs.ipv6(TUNNEL_J));
        assertEquals(Addrs.endpoint(Addrs.ipv6(UNDERLAY_J), PORT_J),
                go.awaitHandshake(kj.publicKey(), HANDSHAKE).endpoint());
        pingsBothWaysBothFamilies();
    }

    @Test
    void mismatchedPskGivesNoHandshakeWhenJwgInitiates() {
        start(WgKeys.presharedKey(), WgKeys.presharedKey(), Addrs.endpoint(Addrs.ipv4(UNDERLAY_G), PORT_G), null);
        assertFalse(Traffic.pingAnswered(hostJ, Addrs.ipv4(TUNNEL_G)), "ping through a tunnel with different PSKs");
        // the initiation did reach wireguard-go (so the failure is the PSK's), and was answered
        Poll.until(Duration.ofSeconds(10), "wireguard-go to log a received initiation",
                () -> goLog().contains("Received handshake initiation"));
        assertFalse(Traffic.pingAnswered(hostG, "-c", "1", Addrs.ipv4(TUNNEL_J)));
        assertFalse(go.dump().peer(kj.publicKey()).orElseThrow().hasHandshake(), "wireguard-go must not see a handshake");
        assertFalse(LogLines.contains(jwg, "handshake complete"), "jwg must not complete a handshake: " + jwg.logTail(600));
    }

    @Test
    void mismatchedPskGivesNoHandshakeWhenWireguardGoInitiates() {
        start(WgKeys.presharedKey(), WgKeys.presharedKey(), null, Addrs.endpoint(Addrs.ipv4(UNDERLAY_J), PORT_J));
        assertFalse(Traffic.pingAnswered(hostG, Addrs.ipv4(TUNNEL_J)), "ping through a tunnel with different PSKs");
        // jwg answered the initiation, but with a PSK that does not match: wireguard-go rejects it
        Poll.until(Duration.ofSeconds(10), "wireguard-go to reject jwg's handshake response",
                () -> goLog().contains("Received invalid response message from " + Addrs.endpoint(Addrs.ipv4(UNDERLAY_J), PORT_J)));
        assertFalse(go.dump().peer(kj.publicKey()).orElseThrow().hasHandshake(), "wireguard-go must not see a handshake");
        assertFalse(LogLines.contains(jwg, "handshake complete"), "jwg must not complete a handshake: " + jwg.logTail(600));
    }

    // ---- bulk data --------------------------------------------------------------------------

    @Test
    void bulkTransfersBothWaysArriveIntact() {
        start(null, null, Addrs.endpoint(Addrs.ipv4(UNDERLAY_G), PORT_G), null);
        Traffic.ping(hostJ, Addrs.ipv4(TUNNEL_G));
        Duration t = Duration.ofSeconds(120);
        Traffic.Transfer toGo = Traffic.transfer(hostJ, hostG, Addrs.ipv4(TUNNEL_G), 5001, BULK_BYTES, t);
        System.out.printf("jwg -> wireguard-go, IPv4 inside: %d bytes in %d ms (%.0f Mbit/s)%n",
                toGo.receivedBytes(), toGo.millis(), toGo.mbitPerSecond());
        toGo.assertIntact(BULK_BYTES);
        Traffic.Transfer toJwg = Traffic.transfer(hostG, hostJ, Addrs.ipv6(TUNNEL_J), 5002, BULK_BYTES, t);
        System.out.printf("wireguard-go -> jwg, IPv6 inside: %d bytes in %d ms (%.0f Mbit/s)%n",
                toJwg.receivedBytes(), toJwg.millis(), toJwg.mbitPerSecond());
        toJwg.assertIntact(BULK_BYTES);
        Traffic.Transfer v6ToGo = Traffic.transfer(hostJ, hostG, Addrs.ipv6(TUNNEL_G), 5003, 2L << 20, t);
        v6ToGo.assertIntact(2L << 20);
        Traffic.Transfer v4ToJwg = Traffic.transfer(hostG, hostJ, Addrs.ipv4(TUNNEL_J), 5004, 2L << 20, t);
        v4ToJwg.assertIntact(2L << 20);
    }

    // ---- roaming ----------------------------------------------------------------------------

    @Test
    void jwgFollowsWireguardGoToANewPort() {
        start(null, null, Addrs.endpoint(Addrs.ipv4(UNDERLAY_G), PORT_G), null);
        pingsBothWaysBothFamilies();
        int newPort = PORT_G + 17;
        go.wgSet("listen-port", Integer.toString(newPort));
        assertEquals(newPort, go.dump().listenPort());
        // wireguard-go sends from its new port; jwg's answers must go there (the old port is closed)
        Traffic.ping(hostG, Addrs.ipv4(TUNNEL_J));
        Traffic.ping(hostJ, Addrs.ipv4(TUNNEL_G));
        Traffic.ping(hostJ, Addrs.ipv6(TUNNEL_G));
        Traffic.Transfer t = Traffic.transfer(hostJ, hostG, Addrs.ipv4(TUNNEL_G), 5005, 1L << 20, Duration.ofSeconds(60));
        t.assertIntact(1L << 20);
        assertTrue(udpToPort(newPort) > 0, "jwg sends to wireguard-go's new port");
    }

    @Test
    void jwgFollowsWireguardGoToANewAddress() {
        start(null, null, Addrs.endpoint(Addrs.ipv4(UNDERLAY_G), PORT_G), null);
        pingsBothWaysBothFamilies();
        // wireguard-go's host moves from .2 to .3: the configured endpoint is dead from now on
        // (deleted first: deleting a primary address also deletes its secondaries)
        nsG.ip("addr", "del", "192.168.77.2/24", "dev", veth.ifB());
        nsG.ip("addr", "add", "192.168.77.3/24", "dev", veth.ifB());
        Traffic.pingUntilAnswered(hostG, Addrs.ipv4(TUNNEL_J), 20);
        Traffic.ping(hostG, Addrs.ipv4(TUNNEL_J));
        Traffic.ping(hostJ, Addrs.ipv4(TUNNEL_G));
        Traffic.ping(hostJ, Addrs.ipv6(TUNNEL_G));
        Traffic.Transfer t = Traffic.transfer(hostJ, hostG, Addrs.ipv4(TUNNEL_G), 5006, 1L << 20, Duration.ofSeconds(60));
        t.assertIntact(1L << 20);
        assertTrue(nsJ.exec("ip", "neigh", "show", "192.168.77.3").stdout().contains("lladdr"),
                "jwg's host talked to the new address");
    }

    // ---- inbound source check (cryptokey routing) --------------------------------------------

    @Test
    void packetsFromASourceOutsideThePeersAllowedIpsAreDropped() {
        start(null, null, Addrs.endpoint(Addrs.ipv4(UNDERLAY_G), PORT_G), null);
        pingsBothWaysBothFamilies();
        // wireguard-go's side gets addresses jwg does not allow for it, inside jwg's Address prefixes
        nsG.addAddresses(go.ifName(), "10.9.0.77/24,fd09::77/64");
        assertSpoofedSourcesDropped();
    }

    @Test
    void aSourceInAMoreSpecificPrefixOfAnotherPeerIsDropped() {
        // jwg allows 10.9.0.0/24 from wireguard-go, but 10.9.0.77/32 belongs to a second peer
        String other = WgKeys.generate().publicKey();
        go = WireguardGoPeer.start(nsG, WgConfig.of(kg, PORT_G).withAddresses(TUNNEL_G)
                .withPeer(WgConfig.Peer.of(kj.publicKey(), ALLOWED_J)));
        jwg = startJwg(WgConfig.of(kj, PORT_J).withAddresses(TUNNEL_J)
                .withPeer(WgConfig.Peer.of(kg.publicKey(), "10.9.0.0/24,fd09::/64")
                        .withEndpoint(Addrs.ipv4(UNDERLAY_G), PORT_G))
                .withPeer(WgConfig.Peer.of(other, "10.9.0.77/32,fd09::77/128")));
        pingsBothWaysBothFamilies();
        nsG.addAddresses(go.ifName(), "10.9.0.77/24,fd09::77/64");
        assertSpoofedSourcesDropped();
    }

    /** Pings jwg from 10.9.0.77 / fd09::77 on wireguard-go's side: jwg must drop them, not pass them to its TUN. */
    private void assertSpoofedSourcesDropped() {
        long rx = tunRxPackets();
        long dropsBefore = LogLines.count(jwg, "source not allowed");
        assertFalse(Traffic.pingAnswered(hostG, "-I", "10.9.0.77", Addrs.ipv4(TUNNEL_J)), "ping from 10.9.0.77");
        assertFalse(Traffic.pingAnswered(hostG, "-I", "fd09::77", Addrs.ipv6(TUNNEL_J)), "ping from fd09::77");
        // the packets did reach jwg through the tunnel: wireguard-go sent them
        assertEquals(rx, tunRxPackets(), "packets with a disallowed source were written to jwg's TUN");
        LogLines.await(jwg, "source not allowed", dropsBefore + 1, Duration.ofSeconds(5));
        // the allowed source still works
        Traffic.ping(hostG, Addrs.ipv4(TUNNEL_J));
        assertTrue(tunRxPackets() >= rx + 3, "allowed packets reach the TUN");
    }

    // ---- robustness -------------------------------------------------------------------------

    @Test
    void garbageAndOversizedDatagramsDoNotDisturbTheTunnel() {
        start(null, null, Addrs.endpoint(Addrs.ipv4(UNDERLAY_G), PORT_G), null);
        pingsBothWaysBothFamilies();
        // empty, short, each message type with a wrong length or random content, jumbo and 65 000-byte datagrams
        String py = """
                import os, socket, sys
                s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
                s.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 1 << 20)
                dst = (sys.argv[1], int(sys.argv[2]))
                msgs = [b"", b"\\x01", b"\\x01\\0\\0", os.urandom(31), os.urandom(2000), os.urandom(9000), os.urandom(65000)]
                for t in (1, 2, 3, 4):
                    for n in (4, 31, 32, 64, 92, 147, 148, 149, 1500, 65000):
                        msgs.append(bytes([t, 0, 0, 0]) + os.urandom(n - 4))
                for m in msgs * 3:
                    s.sendto(m, dst)
                print(len(msgs) * 3)
                """;
        nsG.execOk("/usr/bin/python3", "-c", py, Addrs.ipv4(UNDERLAY_J), Integer.toString(PORT_J));
        assertTrue(jwg.isAlive(), "jwg survived: " + jwg.logTail(600));
        pingsBothWaysBothFamilies();
        Traffic.transfer(hostG, hostJ, Addrs.ipv4(TUNNEL_J), 5007, 1L << 20, Duration.ofSeconds(60)).assertIntact(1L << 20);
        assertFalse(LogLines.contains(jwg, "Exception"), "no exception in jwg's log: " + jwg.logTail(1500));
    }

    // ---- metrics (--metrics) ----------------------------------------------------------------

    /**
     * Scrapes while traffic flows pass Debian's promtool and only grow; the quiet tunnel's agrees
     * with jwg's own `wg show dump`; a drop made on purpose is counted.
     */
    @Test
    void scrapesDuringTrafficPassPromtoolAgreeWithWgShowDumpAndCountADrop() throws Exception {
        String psk = WgKeys.presharedKey();
        go = WireguardGoPeer.start(nsG, WgConfig.of(kg, PORT_G).withAddresses(TUNNEL_G)
                .withPeer(WgConfig.Peer.of(kj.publicKey(), ALLOWED_J).withPresharedKey(psk)));
        jwg = startJwg(WgConfig.of(kj, PORT_J).withAddresses(TUNNEL_J).withPeer(WgConfig.Peer.of(kg.publicKey(), ALLOWED_G)
                .withPresharedKey(psk).withEndpoint(Addrs.ipv4(UNDERLAY_G), PORT_G)), List.of("--metrics", METRICS));
        Traffic.ping(hostJ, Addrs.ipv4(TUNNEL_G));

        // Scraped (and checked by promtool) over and over while a transfer runs.
        // (On a thread of its own: the transfer's receiver takes the common pool, which has one thread on two cores.)
        CompletableFuture<Traffic.Transfer> bulk = CompletableFuture.supplyAsync(
                () -> Traffic.transfer(hostJ, hostG, Addrs.ipv4(TUNNEL_G), 5011, METRICS_BULK_BYTES, Duration.ofSeconds(120)),
                task -> Thread.ofPlatform().daemon().start(task));
        List<Double> sent = new ArrayList<>();
        int duringTraffic = 0;
        while (!bulk.isDone() || sent.size() < 2) {
            boolean flowing = !bulk.isDone();
            String text = Scrapes.scrape(nsJ, METRICS);
            Scrapes.promtool(nsJ, text);
            sent.add(Scrapes.value(text, "wireguard_sent_bytes_total", peerLabels()));
            if (flowing) duringTraffic++;
            Thread.sleep(300); // a scraper's pace, not a busy loop beside the transfer on two cores
        }
        bulk.join().assertIntact(METRICS_BULK_BYTES);
        assertTrue(duringTraffic > 0, "a scrape while the transfer ran");
        for (int i = 1; i < sent.size(); i++) assertTrue(sent.get(i) >= sent.get(i - 1), "a counter: " + sent);

        // The tunnel quiet: the scrape lies between two dumps of jwg's own UAPI.
        WgDump before = jwg.dump();
        String text = Scrapes.scrape(nsJ, METRICS);
        WgDump after = jwg.dump();
        Scrapes.promtool(nsJ, text);
        WgDump.Peer b = before.peer(kg.publicKey()).orElseThrow();
        WgDump.Peer a = after.peer(kg.publicKey()).orElseThrow();
        Map<String, String> labels = peerLabels();
        labels.put("allowed_ips", String.join(",", a.allowedIps()));
        double sentAfter = Scrapes.value(text, "wireguard_sent_bytes_total", labels);
        assertBetween(b.txBytes(), sentAfter, a.txBytes());
        assertTrue(sentAfter > METRICS_BULK_BYTES, "the transfer's bytes, sealed: " + sentAfter);
        assertBetween(b.rxBytes(), Scrapes.value(text, "wireguard_received_bytes_total", labels), a.rxBytes());
        assertTrue(a.latestHandshake() > 0);
        assertBetween(b.latestHandshake(), Scrapes.value(text, "wireguard_latest_handshake_seconds", labels), a.latestHandshake());
        String[] endpoint = a.endpoint().split(":");
        assertEquals(1, Scrapes.value(text, "jwg_peer_endpoint_info",
                Map.of("interface", jwg.ifName(), "public_key", kg.publicKey(), "remote_ip", endpoint[0], "remote_port", endpoint[1])));
        assertEquals(after.peers().size(), Scrapes.value(text, "jwg_peers", Map.of("interface", jwg.ifName())));
        double attempts = Scrapes.value(text, "jwg_peer_handshake_attempts_total", peerLabels());
        assertTrue(attempts >= 1);
        assertEquals(attempts - 1, Scrapes.value(text, "jwg_peer_handshake_failures_total", peerLabels()),
                "one attempt answered (on a veth, the first), any before it failed");
        assertFalse(text.contains(kj.privateKey()) || text.contains(psk), "no private or preshared key in the metrics");

        // A packet to an address of the tunnel's prefix that no peer's allowed IPs hold: a counted drop.
        Map<String, String> noPeer = Map.of("interface", jwg.ifName(), "layer", "datapath", "reason", "no_peer_for_destination");
        double dropped = Scrapes.value(text, "jwg_drops_total", noPeer);
        assertFalse(Traffic.pingAnswered(hostJ, "10.9.0.99"), "no peer has 10.9.0.99");
        Poll.until(Duration.ofSeconds(5), "the drops counted",
                () -> Scrapes.value(Scrapes.scrape(nsJ, METRICS), "jwg_drops_total", noPeer) >= dropped + 2);
    }

    private Map<String, String> peerLabels() {
        return new HashMap<>(Map.of("interface", jwg.ifName(), "public_key", kg.publicKey()));
    }

    private static void assertBetween(long low, double value, long high) {
        assertTrue(low <= value && value <= high, value + " not within [" + low + ", " + high + "]");
    }

    // ---- helpers ----------------------------------------------------------------------------

    /**
     * Starts wireguard-go (on PORT_G) and jwg (on PORT_J) with each other as their single peer.
     *
     * @param jwgEndpoint endpoint jwg has for wireguard-go, or null (jwg must learn it)
     * @param goEndpoint  endpoint wireguard-go has for jwg, or null
     */
    private void start(String pskJ, String pskG, String jwgEndpoint, String goEndpoint) {
        go = WireguardGoPeer.start(nsG, WgConfig.of(kg, PORT_G).withAddresses(TUNNEL_G)
                .withPeer(WgConfig.Peer.of(kj.publicKey(), ALLOWED_J).withPresharedKey(pskG).withEndpoint(goEndpoint)));
        jwg = startJwg(WgConfig.of(kj, PORT_J).withAddresses(TUNNEL_J)
                .withPeer(WgConfig.Peer.of(kg.publicKey(), ALLOWED_G).withPresharedKey(pskJ).withEndpoint(jwgEndpoint)));
    }

    private JwgProcess startJwg(WgConfig cfg) {
        return startJwg(cfg, List.of());
    }

    private JwgProcess startJwg(WgConfig cfg, List<String> jwgOptions) {
        JwgProcess p = JwgProcess.start(nsJ, JwgProcess.uniqueIfName(), cfg, List.of(), jwgOptions);
        LogLines.await(p, "is up: UDP port " + PORT_J, Duration.ofSeconds(20));
        return p;
    }

    private void pingsBothWaysBothFamilies() {
        Traffic.ping(hostJ, Addrs.ipv4(TUNNEL_G));
        Traffic.ping(hostJ, Addrs.ipv6(TUNNEL_G));
        Traffic.ping(hostG, Addrs.ipv4(TUNNEL_J));
        Traffic.ping(hostG, Addrs.ipv6(TUNNEL_J));
    }

    /** RX packets of jwg's interface: what jwg wrote into its TUN. */
    private long tunRxPackets() {
        String s = nsJ.execOk("cat", "/sys/class/net/" + jwg.ifName() + "/statistics/rx_packets").stdout().strip();
        return Long.parseLong(s);
    }

    private String goLog() {
        return LogLines.lines(go.process().log()).toString();
    }

    /** UDP datagrams from jwg's namespace to wireguard-go's {@code port}, counted by nftables in wireguard-go's namespace. */
    private long udpToPort(int port) {
        // counted on arrival with an nft rule installed now; a few pings make it count
        nsG.execOk("nft", "add table inet jwgtest");
        nsG.execOk("nft", "add chain inet jwgtest in { type filter hook input priority 0; }");
        nsG.execOk("nft", "add rule inet jwgtest in udp dport " + port + " counter");
        Traffic.ping(hostJ, Addrs.ipv4(TUNNEL_G));
        String out = nsG.execOk("nft", "list chain inet jwgtest in").stdout();
        String packets = out.replaceAll("(?s).*counter packets (\\d+).*", "$1");
        assertNotEquals(out, packets, "no counter in: " + out);
        return Long.parseLong(packets);
    }
}
