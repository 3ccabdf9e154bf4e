package jwg.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import jwg.interop.fixture.Addrs;
import jwg.interop.fixture.JwgProcess;
import jwg.interop.fixture.Netns;
import jwg.interop.fixture.Nft;
import jwg.interop.fixture.Veth;
import jwg.interop.fixture.WgConfig;
import jwg.interop.fixture.WgKeys;
import jwg.interop.fixture.WireguardGoPeer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The kernel selftest's (netns.sh) scenarios of several namespaces and addresses, with jwg where
 * the selftest has the kernel module and wireguard-go (or a second jwg) as the peer: the answer
 * comes from the address the peer wrote to, and from another once that address is gone; peers
 * behind SNAT held open by persistent keepalives; WireGuard carried over WireGuard.
 *
 * <p>Not asked of jwg, as no userspace implementation can answer them:
 * <ul>
 *   <li>a more specific route over another interface taking over an ongoing flow (the selftest's
 *       veth3 with metric 1): the kernel drops the sticky source when the route to the peer
 *       leaves by another interface than the one the peer's packets came in on; a userspace
 *       sender would need a route lookup per datagram to notice (wireguard-go does not either);</li>
 *   <li>the ICMP error for a packet without a peer, routed back through SNAT ("From 10.0.0.100 ...
 *       Destination Host Unreachable"): the kernel's wg device has the host's ICMP code build it
 *       (icmp_ndo_send, which undoes the NAT from conntrack and takes the source from the reverse
 *       route); a TUN reader cannot, and jwg, like wireguard-go, drops such a packet silently.</li>
 * </ul>
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class JwgSelftestRoutingTest {
    static final String TUNNEL_J = "10.84.0.1/24,fd84::1/64";
    static final String TUNNEL_G = "10.84.0.2/24,fd84::2/64";
    static final String ALLOWED_J = "10.84.0.1/32,fd84::1/128";
    static final String ALLOWED_G = "10.84.0.2/32,fd84::2/128";
    static final int PORT_J = 51841;
    static final int PORT_G = 51840;

    final WgKeys.KeyPair kj = WgKeys.generate();
    final WgKeys.KeyPair kg = WgKeys.generate();
    Netns nsJ;
    Netns nsG;
    Netns nsR;
    JwgProcess jwg;
    JwgProcess jwg2;
    WireguardGoPeer go;
    WireguardGoPeer go2;

    @AfterEach
    void tearDown() {
        Closing.closeAll(jwg2, go2, jwg, go, nsJ, nsG, nsR);
    }

    // ---- source addresses -------------------------------------------------------------------

    /**
     * The selftest's "reply to sender routing": jwg's host has two addresses of each family on
     * one interface (and one more on another interface); wireguard-go sets its endpoint for jwg
     * to each in turn and pings, and must still have that endpoint afterwards, so jwg's answers
     * came from the address it wrote to, not from the route's choice.
     */
    @Test
    void answersComeFromTheAddressThePeerWroteTo() {
        nsJ = Netns.create("j");
        nsG = Netns.create("g");
        Veth v = Veth.connect(nsJ, "10.83.0.1/24,10.83.0.2/24,fd83::1/96,fd83::2/96", nsG, "10.83.0.3/24,fd83::3/96", 1500);
        // an address of jwg's host on another interface, reached over the same veth (the selftest's dummy0)
        nsJ.ip("link", "add", "other0", "type", "veth", "peer", "name", "other1");
        nsJ.ip("addr", "add", "10.85.0.1/24", "dev", "other0");
        nsJ.ip("link", "set", "other0", "up");
        nsJ.ip("link", "set", "other1", "up");
        nsG.ip("route", "add", "10.85.0.0/24", "dev", v.ifB());
        start(null, "10.83.0.1:" + PORT_J, 0);
        for (String ours : List.of("10.83.0.1", "[fd83::1]", "10.83.0.2", "[fd83::2]", "10.85.0.1")) {
            String endpoint = ours + ":" + PORT_J;
            go.wgSet("peer", kj.publicKey(), "endpoint", endpoint);
            Traffic.pingUntilAnswered(Traffic.Host.of(nsG), Addrs.ipv4(TUNNEL_J), 10);
            assertEquals(kj.publicKey() + "\t" + endpoint, goEndpoints(), "wireguard-go's endpoint for jwg after writing to " + ours);
        }
    }

    /**
     * The selftest's "not overly sticky": jwg handshakes with wireguard-go, so it answers from the
     * address wireguard-go's packets came to; that address is then replaced by another (deleted
     * after the new one is added), and the tunnel must go on from the new one, in both families.
     */
    @Test
    void whenTheAddressItAnswersFromIsGoneItAnswersFromAnother() {
        nsJ = Netns.create("j");
        nsG = Netns.create("g");
        Veth v = Veth.connect(nsJ, "10.83.0.1/24,fd83::1/96", nsG, "10.83.0.2/24,fd83::2/96", 1500);
        nsJ.execOk("sysctl", "-q", "-w", "net.ipv4.conf." + v.ifA() + ".promote_secondaries=1");
        start("10.83.0.2:" + PORT_G, null, 0);
        Traffic.Host hostJ = Traffic.Host.of(nsJ);
        Traffic.ping(hostJ, Addrs.ipv4(TUNNEL_G));
        nsJ.ip("addr", "add", "10.83.0.10/24", "dev", v.ifA());
        nsJ.ip("addr", "del", "10.83.0.1/24", "dev", v.ifA());
        Traffic.pingUntilAnswered(hostJ, Addrs.ipv4(TUNNEL_G), 5);
        assertEquals(kj.publicKey() + "\t10.83.0.10:" + PORT_J, goEndpoints());

        jwg.wgSet("peer", kg.publicKey(), "endpoint", "[fd83::2]:" + PORT_G);
        Traffic.ping(hostJ, Addrs.ipv4(TUNNEL_G));
        assertEquals(kj.publicKey() + "\t[fd83::1]:" + PORT_J, goEndpoints());
        nsJ.ip("addr", "add", "fd83::10/96", "dev", v.ifA(), "nodad");
        nsJ.ip("addr", "del", "fd83::1/96", "dev", v.ifA());
        Traffic.pingUntilAnswered(hostJ, Addrs.ipv4(TUNNEL_G), 5);
        assertEquals(kj.publicKey() + "\t[fd83::10]:" + PORT_J, goEndpoints());
    }

    // ---- NAT --------------------------------------------------------------------------------

    /**
     * The selftest's NAT topology: jwg behind a router that SNATs it to 10.0.0.1-style address
     * with UDP conntrack entries that expire after 2 s. wireguard-go learns jwg's endpoint as the
     * router's address and port, and can still reach jwg after 3 s of silence because jwg's
     * persistent keepalive (1 s) keeps the mapping.
     */
    @Test
    void aPeerBehindSnatStaysReachableThroughItsPersistentKeepalive() {
        nsJ = Netns.create("j");
        nsR = Netns.create("r");
        nsG = Netns.create("g");
        Veth.connect(nsJ, "192.168.86.100/24", nsR, "192.168.86.1/24", 1500);
        Veth.connect(nsR, "10.86.0.1/24", nsG, "10.86.0.100/24", 1500);
        nsJ.ip("route", "add", "default", "via", "192.168.86.1");
        nsR.execOk("sysctl", "-q", "-w", "net.ipv4.ip_forward=1");
        Nft.apply(nsR, """
                table ip nat {
                  chain post {
                    type nat hook postrouting priority srcnat; policy accept;
                    ip saddr 192.168.86.0/24 ip daddr 10.86.0.0/24 snat to 10.86.0.1
                  }
                }
                """);
        nsR.execOk("sysctl", "-q", "-w", "net.netfilter.nf_conntrack_udp_timeout=2", "net.netfilter.nf_conntrack_udp_timeout_stream=2");
        start("10.86.0.100:" + PORT_G, null, 1);
        Traffic.ping(Traffic.Host.of(nsJ), Addrs.ipv4(TUNNEL_G));
        Traffic.ping(Traffic.Host.of(nsG), Addrs.ipv4(TUNNEL_J));
        assertEquals(kj.publicKey() + "\t10.86.0.1:" + PORT_J, goEndpoints(), "wireguard-go sees jwg as the router's address");
        sleep(3000); // longer than the conntrack timeout: only the keepalives keep the mapping
        Traffic.Host hostG = Traffic.Host.of(nsG);
        hostG.run(Duration.ofSeconds(10), "ping", "-c", "1", "-W", "1", Addrs.ipv4(TUNNEL_J)).orThrow();
        jwg.wgSet("peer", kg.publicKey(), "persistent-keepalive", "0");
    }

    // ---- WireGuard over WireGuard -----------------------------------------------------------

    /**
     * The selftest's "route wg through wg": an outer tunnel jwg - wireguard-go over IPv6 inside
     * only (fd85:5::/112), and an inner tunnel between a second jwg on each side whose endpoint is
     * the outer tunnel's address, MTU 1340; pings and transfers through the inner one, whose
     * datagrams must have gone through the outer one.
     */
    @Test
    void wireguardCarriedOverWireguard() {
        nsJ = Netns.create("j");
        nsG = Netns.create("g");
        Veth.connect(nsJ, "10.83.0.1/24", nsG, "10.83.0.2/24", 1500);
        go = WireguardGoPeer.start(nsG, WgConfig.of(kg, PORT_G).withAddresses("fd85:5::2/112")
                .withPeer(WgConfig.Peer.of(kj.publicKey(), "fd85:5::1/128")));
        jwg = startJwg(nsJ, WgConfig.of(kj, PORT_J).withAddresses("fd85:5::1/112")
                .withPeer(WgConfig.Peer.of(kg.publicKey(), "fd85:5::2/128").withEndpoint("10.83.0.2", PORT_G)));
        WgKeys.KeyPair k3 = WgKeys.generate(), k4 = WgKeys.generate();
        String psk = WgKeys.presharedKey();
        int inner = 5;
        jwg2 = startJwg(nsJ, WgConfig.of(k3, inner).withAddresses(TUNNEL_J).withMtu(1340)
                .withPeer(WgConfig.Peer.of(k4.publicKey(), ALLOWED_G).withPresharedKey(psk).withEndpoint("[fd85:5::2]:" + inner)));
        JwgProcess inner4 = startJwg(nsG, WgConfig.of(k4, inner).withAddresses(TUNNEL_G).withMtu(1340)
                .withPeer(WgConfig.Peer.of(k3.publicKey(), ALLOWED_J).withPresharedKey(psk).withEndpoint("[fd85:5::1]:" + inner)));
        try {
            Traffic.Host hostJ = Traffic.Host.of(nsJ), hostG = Traffic.Host.of(nsG);
            long outerBefore = jwg.dump().peer(kg.publicKey()).orElseThrow().txBytes();
            Traffic.ping(hostJ, Addrs.ipv4(TUNNEL_G));
            Traffic.ping(hostJ, Addrs.ipv6(TUNNEL_G));
            Traffic.ping(hostG, Addrs.ipv4(TUNNEL_J));
            Traffic.ping(hostG, Addrs.ipv6(TUNNEL_J));
            Duration t = Duration.ofSeconds(60);
            Traffic.transfer(hostJ, hostG, Addrs.ipv4(TUNNEL_G), 5021, 2L << 20, t).assertIntact(2L << 20);
            Traffic.transfer(hostG, hostJ, Addrs.ipv6(TUNNEL_J), 5022, 2L << 20, t).assertIntact(2L << 20);
            long outer = jwg.dump().peer(kg.publicKey()).orElseThrow().txBytes() - outerBefore;
            long innerSent = jwg2.dump().peer(k4.publicKey()).orElseThrow().txBytes();
            assertTrue(innerSent > 2L << 20, "the inner tunnel carried the transfer: " + innerSent);
            assertTrue(outer > innerSent, "the outer tunnel carried the inner one's datagrams: outer " + outer + ", inner " + innerSent);
        } finally {
            inner4.close();
        }
    }

    // ---- helpers ----------------------------------------------------------------------------

    /**
     * wireguard-go in nsG on PORT_G and jwg in nsJ on PORT_J, each the other's only peer;
     * jwgEndpoint / goEndpoint ("host:port", or null) what each has for the other; keepalive
     * jwg's persistent keepalive (0: off).
     */
    private void start(String jwgEndpoint, String goEndpoint, int keepalive) {
        go = WireguardGoPeer.start(nsG, WgConfig.of(kg, PORT_G).withAddresses(TUNNEL_G)
                .withPeer(WgConfig.Peer.of(kj.publicKey(), ALLOWED_J).withEndpoint(goEndpoint)));
        jwg = startJwg(nsJ, WgConfig.of(kj, PORT_J).withAddresses(TUNNEL_J)
                .withPeer(WgConfig.Peer.of(kg.publicKey(), ALLOWED_G).withEndpoint(jwgEndpoint).withPersistentKeepalive(keepalive)));
    }

    private static JwgProcess startJwg(Netns ns, WgConfig cfg) {
        JwgProcess p = JwgProcess.start(ns, JwgProcess.uniqueIfName(), cfg);
        LogLines.await(p, "is up: UDP port " + cfg.listenPort(), Duration.ofSeconds(20));
        return p;
    }

    private String goEndpoints() {
        return go.execOk("wg", "show", go.ifName(), "endpoints").stdout().strip();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
