package jwg.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import jwg.interop.fixture.Addrs;
import jwg.interop.fixture.JwgProcess;
import jwg.interop.fixture.Netns;
import jwg.interop.fixture.Nft;
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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * What the kernel's WireGuard selftest (tools/testing/selftests/wireguard/netns.sh) checks of the
 * device itself, asked of jwg where the selftest has the kernel module, with wireguard-go as the
 * peer, over one veth (IPv4 and IPv6): exact transfer counters, a private key changed under a
 * live session, keys cleared and set again, odd but valid keys, low-order public keys, padding at
 * and below the MTU, a tunnel MTU larger than the underlay, and an endpoint routed into its own
 * tunnel. The selftest's topologies of several namespaces are in {@link JwgSelftestRoutingTest}.
 *
 * <p>Not asked of jwg, as no userspace implementation can answer them:
 * <ul>
 *   <li>the interface's own counters ({@code ip -s link}): a TUN's are the TUN driver's, counting
 *       inner IP packets, not WireGuard messages as the kernel's wg device does (jwg's
 *       {@code wg show transfer} is checked exactly instead);</li>
 *   <li>padding to a route's MTU below the link's ({@code ip route ... mtu 1299}): the kernel pads
 *       to the skb's dst MTU, which a TUN reader never sees; jwg pads to the link MTU, which the
 *       route test below checks is never exceeded.</li>
 * </ul>
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class JwgSelftestTest {
    static final String UNDERLAY_J = "192.168.79.1/24,fd79::1/64";
    static final String UNDERLAY_G = "192.168.79.2/24,fd79::2/64";
    static final String TUNNEL_J = "10.79.0.1/24,fd79:a::1/64";
    static final String TUNNEL_G = "10.79.0.2/24,fd79:a::2/64";
    static final String ALLOWED_J = "10.79.0.1/32,fd79:a::1/128";
    static final String ALLOWED_G = "10.79.0.2/32,fd79:a::2/128";
    static final int PORT_J = 51831;
    static final int PORT_G = 51830;
    static final Duration HANDSHAKE = Duration.ofSeconds(15);

    // The WireGuard message sizes (whitepaper 5.4): what `wg show transfer` counts, here as in the kernel.
    static final int INITIATION = 148;
    static final int RESPONSE = 92;
    static final int KEEPALIVE = 32;
    /** A transport message carrying a default ping (84-byte IPv4 packet, padded to 96): 16 + 96 + 16. */
    static final int PING_MESSAGE = 16 + 96 + 16;

    Netns nsJ;
    Netns nsG;
    Veth veth;
    Traffic.Host hostJ;
    Traffic.Host hostG;
    WgKeys.KeyPair kj;
    WgKeys.KeyPair kg;
    String psk;
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
        psk = WgKeys.presharedKey();
    }

    @AfterEach
    void tearDown() {
        Closing.closeAll(jwg, go, nsJ, nsG);
    }

    // ---- counters ---------------------------------------------------------------------------

    /**
     * Ten flood pings of the default size, then `wg show transfer` on both sides: the side that
     * pinged sent the initiation and ten requests (148 + 10 * 128 = 1428; 1460 if a keepalive
     * followed) and received the response and ten replies (92 + 1280 = 1372), as in the selftest.
     */
    @ParameterizedTest(name = "{0} pings over IPv{1}")
    @CsvSource({"wireguard-go, 4", "jwg, 6"})
    void transferCountersAfterTenPingsAreExact(String who, int family) {
        boolean jwgPings = who.equals("jwg");
        String underlay = family == 4 ? Addrs.ipv4(UNDERLAY_G) : Addrs.ipv6(UNDERLAY_G);
        start(Addrs.endpoint(underlay, PORT_G), family == 4 ? Addrs.endpoint(Addrs.ipv4(UNDERLAY_J), PORT_J)
                : Addrs.endpoint(Addrs.ipv6(UNDERLAY_J), PORT_J));
        Traffic.Host from = jwgPings ? hostJ : hostG;
        from.run(Duration.ofSeconds(30), "ping", "-c", "10", "-f", "-W", "1", jwgPings ? Addrs.ipv4(TUNNEL_G) : Addrs.ipv4(TUNNEL_J)).orThrow();
        long sent = INITIATION + 10 * PING_MESSAGE;
        long received = RESPONSE + 10 * PING_MESSAGE;
        WgDump.Peer atJwg = jwg.dump().peer(kg.publicKey()).orElseThrow();
        WgDump.Peer atGo = go.dump().peer(kj.publicKey()).orElseThrow();
        WgDump.Peer pinger = jwgPings ? atJwg : atGo;
        WgDump.Peer other = jwgPings ? atGo : atJwg;
        assertEquals(received, pinger.rxBytes(), "the pinging side's rx: " + pinger);
        assertTrue(pinger.txBytes() == sent || pinger.txBytes() == sent + KEEPALIVE, "the pinging side's tx: " + pinger);
        assertEquals(received, other.txBytes(), "the answering side's tx: " + other);
        assertTrue(other.rxBytes() == sent || other.rxBytes() == sent + KEEPALIVE, "the answering side's rx: " + other);
        assertTrue(atJwg.hasHandshake(), "jwg shows the handshake's time");
        // what jwg wrote into its TUN: the ten pings (or replies) of 84 bytes, nothing else
        assertEquals(10 * 84, tunStatistic("rx_bytes"), "bytes jwg wrote to its TUN");
    }

    // ---- keys -------------------------------------------------------------------------------

    /** The selftest's "change private keys and immediately handshake": the old session must not be used. */
    @Test
    void aNewPrivateKeyHandshakesAtOnce() {
        start(Addrs.endpoint(Addrs.ipv4(UNDERLAY_G), PORT_G), null);
        Traffic.ping(hostJ, Addrs.ipv4(TUNNEL_G));
        WgKeys.KeyPair k3 = WgKeys.generate();
        jwg.wgSet("private-key", WgKeys.file(nsJ, k3.privateKey()));
        assertEquals(k3.publicKey(), jwg.wgShow("public-key"));
        go.wgSet("peer", k3.publicKey(), "preshared-key", WgKeys.file(nsG, psk), "allowed-ips", ALLOWED_J,
                "peer", kj.publicKey(), "remove");
        // one ping, one second, as the selftest: jwg must not send on the session of its old key
        hostJ.run(Duration.ofSeconds(10), "ping", "-c", "1", "-W", "2", Addrs.ipv4(TUNNEL_G)).orThrow();
        assertTrue(go.dump().peer(k3.publicKey()).orElseThrow().hasHandshake(), "wireguard-go handshook with the new key");
    }

    /**
     * The selftest's keys set from /dev/null: the private key and the peer's preshared key become
     * "(none)", and then no handshake happens either way until they are set again; a peer with
     * the interface's own public key is removed, and cannot be added.
     */
    @Test
    void keysClearedFromDevNullStopHandshakesUntilSetAgain() {
        start(Addrs.endpoint(Addrs.ipv4(UNDERLAY_G), PORT_G), Addrs.endpoint(Addrs.ipv4(UNDERLAY_J), PORT_J));
        Traffic.ping(hostJ, Addrs.ipv4(TUNNEL_G));
        assertEquals(kj.privateKey(), jwg.wgShow("private-key"));
        assertEquals(kg.publicKey() + "\t" + psk, jwg.wgShow("preshared-keys"));

        jwg.wgSet("private-key", "/dev/null", "peer", kg.publicKey(), "preshared-key", "/dev/null");
        assertEquals("(none)", jwg.wgShow("private-key"));
        assertEquals("(none)", jwg.wgShow("public-key"));
        assertEquals(kg.publicKey() + "\t(none)", jwg.wgShow("preshared-keys"));
        long txBefore = jwg.dump().peer(kg.publicKey()).orElseThrow().txBytes();
        long goHandshake = go.dump().peer(kj.publicKey()).orElseThrow().latestHandshake();
        assertFalse(Traffic.pingAnswered(hostJ, "-c", "1", "-W", "1", Addrs.ipv4(TUNNEL_G)), "jwg without a private key");
        // wireguard-go's session with jwg is gone on jwg's side: it initiates anew, and jwg cannot answer
        go.wgSet("peer", kj.publicKey(), "remove");
        go.wgSet("peer", kj.publicKey(), "preshared-key", WgKeys.file(nsG, psk), "allowed-ips", ALLOWED_J,
                "endpoint", Addrs.endpoint(Addrs.ipv4(UNDERLAY_J), PORT_J));
        assertFalse(Traffic.pingAnswered(hostG, "-c", "1", "-W", "1", Addrs.ipv4(TUNNEL_J)), "wireguard-go to jwg without a private key");
        assertEquals(txBefore, jwg.dump().peer(kg.publicKey()).orElseThrow().txBytes(), "jwg sent nothing: no initiation, no response");
        assertEquals(0, go.dump().peer(kj.publicKey()).orElseThrow().latestHandshake(), "no handshake since (was " + goHandshake + ")");

        // the private key alone is not enough: the peer still has the preshared key jwg no longer has
        jwg.wgSet("private-key", WgKeys.file(nsJ, kj.privateKey()));
        assertEquals(kj.publicKey(), jwg.wgShow("public-key"));
        assertFalse(Traffic.pingAnswered(hostJ, "-c", "1", "-W", "1", Addrs.ipv4(TUNNEL_G)), "the preshared key was cleared too");
        jwg.wgSet("peer", kg.publicKey(), "preshared-key", WgKeys.file(nsJ, psk));
        Traffic.pingUntilAnswered(hostJ, Addrs.ipv4(TUNNEL_G), 10);
        Traffic.ping(hostG, Addrs.ipv4(TUNNEL_J));

        // a peer whose key is the interface's own public key goes when that key is set, and cannot come back
        jwg.wgSet("private-key", WgKeys.file(nsJ, kg.privateKey()));
        assertEquals(kg.publicKey(), jwg.wgShow("public-key"));
        assertEquals("", jwg.wgShow("peers"), "the peer with our own public key is removed");
        jwg.wgSet("peer", kg.publicKey());
        assertEquals("", jwg.wgShow("peers"), "a peer with our own public key is not added");
        jwg.wgSet("private-key", WgKeys.file(nsJ, kj.privateKey()));
        jwg.wgSet("peer", kg.publicKey());
        assertEquals(kg.publicKey(), jwg.wgShow("peers"));
    }

    /**
     * The selftest's odd forms: a private key that is not clamped (first character '/') is taken
     * and shown clamped ('+'), as the kernel stores it, and works; allowed IPs that overlap are
     * taken as given and replaced whole.
     */
    @Test
    void keysAndAllowedIpsOfOddFormsAreTakenAsTheKernelTakesThem() {
        start(Addrs.endpoint(Addrs.ipv4(UNDERLAY_G), PORT_G), null);
        WgKeys.KeyPair k = WgKeys.generate();
        String unclamped = "/" + k.privateKey().substring(1);
        String publicKey = WgKeys.publicKey(unclamped);
        jwg.wgSet("private-key", WgKeys.file(nsJ, unclamped));
        assertEquals("+" + k.privateKey().substring(1), jwg.wgShow("private-key"), "the private key, clamped");
        assertEquals(publicKey, jwg.wgShow("public-key"));
        go.wgSet("peer", kj.publicKey(), "remove", "peer", publicKey, "preshared-key", WgKeys.file(nsG, psk), "allowed-ips", ALLOWED_J);
        Traffic.pingUntilAnswered(hostJ, Addrs.ipv4(TUNNEL_G), 10);
        assertTrue(go.dump().peer(publicKey).orElseThrow().hasHandshake());

        for (String set : List.of("0.0.0.0/0,10.0.0.0/8,100.0.0.0/10,172.16.0.0/12,192.168.0.0/16", "0.0.0.0/0",
                "::/0,1700::/111,5000::/4,e000::/37,9000::/75", "::/0")) {
            jwg.wgSet("peer", kg.publicKey(), "allowed-ips", set);
            assertEquals(List.of(set.split(",")).stream().sorted().toList(),
                    jwg.dump().peer(kg.publicKey()).orElseThrow().allowedIps().stream().sorted().toList(), "after allowed-ips " + set);
        }
        jwg.wgSet("peer", kg.publicKey(), "remove");
        assertEquals("", jwg.wgShow("peers"));
    }

    /**
     * The selftest's low-order points as peer keys, each with an endpoint and a keepalive every
     * second: DH with them gives all zeros, so no initiation may go out. A peer with an ordinary
     * key and the same settings shows that initiations would be seen.
     */
    @Test
    void lowOrderPublicKeysNeverGetAnInitiation() {
        jwg = startJwg(WgConfig.of(kj, PORT_J).withAddresses(TUNNEL_J));
        List<String> lowOrder = List.of("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=", "AQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
                "4Ot6fDtBuK4WVuP68Z/EatoJjeucMrH9hmIFFl9JuAA=", "X5yVvKNQjCSx0LFVnIPvWwREXMRYHI6G2CJO3dCfEVc=",
                "7P///////////////////////////////////////38=", "7f///////////////////////////////////////38=",
                "7v///////////////////////////////////////38=");
        String ordinary = WgKeys.generate().publicKey();
        String listen = """
                import select, socket, time
                socks = {}
                for port in (1111, 1112):
                    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
                    s.bind(("127.0.0.1", port)); socks[s] = port
                print("listening", flush=True)
                seen = {1111: 0, 1112: 0}
                end = time.time() + 3
                while time.time() < end:
                    r, _, _ = select.select(list(socks), [], [], 0.1)
                    for s in r:
                        s.recv(2048); seen[socks[s]] += 1
                print(seen[1111], seen[1112])
                """;
        var listener = java.util.concurrent.CompletableFuture.supplyAsync(() ->
                nsJ.exec(Duration.ofSeconds(20), "/usr/bin/python3", "-c", listen));
        Poll.until(Duration.ofSeconds(10), "the UDP listeners on 1111 and 1112", () ->
                nsJ.exec("sh", "-c", "grep -q ':0457 ' /proc/net/udp && grep -q ':0458 ' /proc/net/udp").ok());
        for (String key : lowOrder) {
            jwg.wgSet("peer", key, "persistent-keepalive", "1", "endpoint", "127.0.0.1:1111");
        }
        jwg.wgSet("peer", ordinary, "persistent-keepalive", "1", "endpoint", "127.0.0.1:1112");
        String[] seen = listener.join().orThrow().stdout().strip().lines().toList().getLast().split(" ");
        assertEquals("0", seen[0], "datagrams to the low-order peers' endpoint");
        assertNotEquals("0", seen[1], "initiations to the ordinary peer's endpoint (the listener works)");
        WgDump d = jwg.dump();
        for (String key : lowOrder) {
            assertEquals(0, d.peer(key).orElseThrow().txBytes(), "tx to " + key);
        }
        assertTrue(d.peer(ordinary).orElseThrow().txBytes() >= INITIATION);
    }

    // ---- MTU --------------------------------------------------------------------------------

    /**
     * The selftest's MTU 1300 with packets at the MTU: padding (to a multiple of 16) stops at the
     * MTU, so a 1297-byte packet goes out as 1300 bytes of plaintext (outer IPv4 20 + 8 + 32 + 1300
     * = 1360), never 1312; what is larger is dropped on the underlay here. With a route MTU of
     * 1299 below the link's, such packets still pass (padded to the link MTU, see the class note).
     */
    @Test
    void paddingStopsAtTheMtuAndARouteMtuBelowItStillPasses() {
        start(Addrs.endpoint(Addrs.ipv4(UNDERLAY_G), PORT_G), Addrs.endpoint(Addrs.ipv4(UNDERLAY_J), PORT_J));
        Traffic.ping(hostJ, Addrs.ipv4(TUNNEL_G));
        nsJ.ip("link", "set", jwg.ifName(), "mtu", "1300");
        nsG.ip("link", "set", go.ifName(), "mtu", "1300");
        LogLines.await(jwg, jwg.ifName() + ": MTU 1300", Duration.ofSeconds(5));
        // what jwg sends, as it arrives at wireguard-go's side
        Nft.filter(nsG, "pad", "input",
                "ip saddr 192.168.79.1 udp sport " + PORT_J + " ip length > 1360 counter drop comment \"over\"",
                "ip saddr 192.168.79.1 udp sport " + PORT_J + " ip length 1360 counter comment \"at\"");
        for (String size : List.of("1269", "1272", "1000")) { // IPv4 packets of 1297, 1300 and 1028 bytes
            hostJ.run(Duration.ofSeconds(10), "ping", "-c", "1", "-W", "2", "-s", size, Addrs.ipv4(TUNNEL_G)).orThrow();
            hostG.run(Duration.ofSeconds(10), "ping", "-c", "1", "-W", "2", "-s", size, Addrs.ipv4(TUNNEL_J)).orThrow();
        }
        // IPv6 packets of 1300 and 1297 bytes
        hostJ.run(Duration.ofSeconds(10), "ping", "-c", "1", "-W", "2", "-s", "1252", Addrs.ipv6(TUNNEL_G)).orThrow();
        hostG.run(Duration.ofSeconds(10), "ping", "-c", "1", "-W", "2", "-s", "1249", Addrs.ipv6(TUNNEL_J)).orThrow();
        assertEquals(0, Nft.packets(nsG, "pad", "over"), "datagrams from jwg beyond MTU + overhead");
        assertEquals(6, Nft.packets(nsG, "pad", "at"), "jwg's requests and replies of 1297 and 1300 bytes, padded to exactly 1300");

        nsJ.ip("route", "add", Addrs.ipv4(TUNNEL_G) + "/32", "dev", jwg.ifName(), "mtu", "1299");
        nsG.ip("route", "add", Addrs.ipv4(TUNNEL_J) + "/32", "dev", go.ifName(), "mtu", "1299");
        hostG.run(Duration.ofSeconds(10), "ping", "-c", "1", "-W", "2", "-s", "1269", Addrs.ipv4(TUNNEL_J)).orThrow();
        hostJ.run(Duration.ofSeconds(10), "ping", "-c", "1", "-W", "2", "-s", "1269", Addrs.ipv4(TUNNEL_G)).orThrow();
        assertEquals(0, Nft.packets(nsG, "pad", "over"));
        assertEquals(8, Nft.packets(nsG, "pad", "at"));
    }

    /**
     * The selftest's second round with a big MTU (34816 - 1500 + 1420): packets far larger than the
     * underlay's 1500 go through, their datagrams fragmented on the way.
     */
    @Test
    void aTunnelMtuFarAboveTheUnderlaysIsCarriedInFragments() {
        start(Addrs.endpoint(Addrs.ipv4(UNDERLAY_G), PORT_G), Addrs.endpoint(Addrs.ipv4(UNDERLAY_J), PORT_J));
        int big = 34816 - 1500 + 1420;
        nsJ.ip("link", "set", jwg.ifName(), "mtu", Integer.toString(big));
        nsG.ip("link", "set", go.ifName(), "mtu", Integer.toString(big));
        LogLines.await(jwg, jwg.ifName() + ": MTU " + big, Duration.ofSeconds(5));
        hostJ.run(Duration.ofSeconds(20), "ping", "-c", "3", "-i", "0.2", "-W", "3", "-s", "30000", Addrs.ipv4(TUNNEL_G)).orThrow();
        hostG.run(Duration.ofSeconds(20), "ping", "-c", "3", "-i", "0.2", "-W", "3", "-s", "30000", Addrs.ipv6(TUNNEL_J)).orThrow();
        Duration t = Duration.ofSeconds(60);
        Traffic.transfer(hostJ, hostG, Addrs.ipv4(TUNNEL_G), 5011, 4L << 20, t).assertIntact(4L << 20);
        Traffic.transfer(hostG, hostJ, Addrs.ipv6(TUNNEL_J), 5012, 4L << 20, t).assertIntact(4L << 20);
    }

    // ---- loops ------------------------------------------------------------------------------

    /**
     * The selftest's routing loop, as it can happen to one device: the peer's endpoint is set to
     * an address inside its own allowed IPs, so jwg's datagrams to it are routed back into jwg's
     * TUN. They must not go round again (the selftest's bound: under 70000 bytes sent after ten
     * flood pings), and the tunnel works again once the endpoint is set right.
     */
    @ParameterizedTest(name = "endpoint in the tunnel over IPv{0}")
    @CsvSource({"4", "6"})
    void anEndpointRoutedIntoItsOwnTunnelIsABoundedLoop(int family) {
        start(Addrs.endpoint(Addrs.ipv4(UNDERLAY_G), PORT_G), null);
        Traffic.ping(hostJ, Addrs.ipv4(TUNNEL_G));
        String inside = family == 4 ? Addrs.ipv4(TUNNEL_G) : Addrs.ipv6(TUNNEL_G);
        jwg.wgSet("peer", kg.publicKey(), "endpoint", Addrs.endpoint(inside, 7));
        long before = jwg.dump().peer(kg.publicKey()).orElseThrow().txBytes();
        assertFalse(hostJ.run(Duration.ofSeconds(20), "ping", "-c", "10", "-f", "-W", "1", Addrs.ipv4(TUNNEL_G)).ok(),
                "nothing reaches wireguard-go");
        sleep(1000);
        long after = jwg.dump().peer(kg.publicKey()).orElseThrow().txBytes();
        assertTrue(after - before < 70_000, "bytes sent into the loop: " + (after - before));
        sleep(500);
        assertEquals(after, jwg.dump().peer(kg.publicKey()).orElseThrow().txBytes(), "the loop has stopped");
        LogLines.await(jwg, "routing loop", Duration.ofSeconds(5));
        jwg.wgSet("peer", kg.publicKey(), "endpoint", Addrs.endpoint(Addrs.ipv4(UNDERLAY_G), PORT_G));
        Traffic.pingUntilAnswered(hostJ, Addrs.ipv4(TUNNEL_G), 10);
    }

    // ---- helpers ----------------------------------------------------------------------------

    /**
     * wireguard-go on PORT_G and jwg on PORT_J, each the other's only peer with the same
     * preshared key; jwgEndpoint / goEndpoint: the endpoint each has for the other, or null.
     */
    private void start(String jwgEndpoint, String goEndpoint) {
        go = WireguardGoPeer.start(nsG, WgConfig.of(kg, PORT_G).withAddresses(TUNNEL_G)
                .withPeer(WgConfig.Peer.of(kj.publicKey(), ALLOWED_J).withPresharedKey(psk).withEndpoint(goEndpoint)));
        jwg = startJwg(WgConfig.of(kj, PORT_J).withAddresses(TUNNEL_J)
                .withPeer(WgConfig.Peer.of(kg.publicKey(), ALLOWED_G).withPresharedKey(psk).withEndpoint(jwgEndpoint)));
    }

    private JwgProcess startJwg(WgConfig cfg) {
        JwgProcess p = JwgProcess.start(nsJ, JwgProcess.uniqueIfName(), cfg);
        LogLines.await(p, "is up: UDP port " + PORT_J, Duration.ofSeconds(20));
        return p;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private long tunStatistic(String name) {
        return Long.parseLong(nsJ.execOk("cat", "/sys/class/net/" + jwg.ifName() + "/statistics/" + name).stdout().strip());
    }
}
