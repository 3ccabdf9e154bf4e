package jwg.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import jwg.interop.fixture.Addrs;
import jwg.interop.fixture.Cmd;
import jwg.interop.fixture.JwgProcess;
import jwg.interop.fixture.Netns;
import jwg.interop.fixture.Veth;
import jwg.interop.fixture.WgConfig;
import jwg.interop.fixture.WgKeys;
import jwg.interop.fixture.WireguardGoPeer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * WireGuard's namespace idiom (wireguard.com/netns): the interface is made in one namespace and
 * moved into another with {@code ip link set IF netns OTHER}; its UDP socket stays where it was
 * born, so the other namespace's only way out is the tunnel. jwg is born in "j", which has the
 * underlay to wireguard-go in "g"; "c" (the container) has nothing but what is moved into it.
 * Also wireguard-go's other daemon hand-offs: a TUN and a UAPI socket opened by whoever starts it.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class JwgNetnsIdiomsTest {
    static final String UNDERLAY_J = "192.168.78.1/24";
    static final String UNDERLAY_G = "192.168.78.2/24";
    static final String TUNNEL_J = "10.78.0.1/24";
    static final String TUNNEL_G = "10.78.0.2/24";
    static final int PORT_J = 51831;
    static final int PORT_G = 51830;
    /** A jumbo MTU (the kernel selftest's) that the moved interface must carry, split by the underlay or not. */
    static final int JUMBO_MTU = 33836;
    static final Duration HANDSHAKE = Duration.ofSeconds(15);

    Netns nsJ;
    Netns nsG;
    Netns nsC;
    Traffic.Host hostJ;
    Traffic.Host hostC;
    WgKeys.KeyPair kj = WgKeys.generate();
    WgKeys.KeyPair kg = WgKeys.generate();
    JwgProcess jwg;
    WireguardGoPeer go;

    @BeforeEach
    void namespaces() {
        nsJ = Netns.create("j");
        nsG = Netns.create("g");
        nsC = Netns.create("c");
        Veth.connect(nsJ, UNDERLAY_J, nsG, UNDERLAY_G, 1500);
        hostJ = Traffic.Host.of(nsJ);
        hostC = Traffic.Host.of(nsC);
        go = WireguardGoPeer.start(nsG, WgConfig.of(kg, PORT_G).withAddresses(TUNNEL_G)
                .withPeer(WgConfig.Peer.of(kj.publicKey(), Addrs.ipv4(TUNNEL_J) + "/32")));
    }

    @AfterEach
    void tearDown() {
        Closing.closeAll(jwg, go, nsC, nsJ, nsG);
    }

    /** What wg-quick's set_config does through the UAPI socket, from any namespace. */
    private WgConfig jwgConfig() {
        return WgConfig.of(kj, PORT_J).withPeer(WgConfig.Peer.of(kg.publicKey(), Addrs.ipv4(TUNNEL_G) + "/32")
                .withEndpoint(Addrs.ipv4(UNDERLAY_G), PORT_G));
    }

    private void setconf() {
        nsJ.exec(Cmd.DEFAULT_TIMEOUT, jwgConfig().toSetconf().getBytes(), java.util.List.of("wg", "setconf", jwg.ifName(), "/dev/stdin")).orThrow();
    }

    /** Moves jwg's interface from one namespace to another, then gives it its address there and sets it up. */
    private void move(Netns from, Netns to) {
        from.ip("link", "set", jwg.ifName(), "netns", to.name());
        assertFalse(from.hasLink(jwg.ifName()), "the interface left " + from.name());
        to.ip("address", "add", TUNNEL_J, "dev", jwg.ifName());
        to.ip("link", "set", jwg.ifName(), "up");
    }

    private long goLatestHandshake() {
        return go.dump().peer(kj.publicKey()).orElseThrow().latestHandshake();
    }

    @Test
    void interfaceModeSurvivesMovesMtuChangesDownUpAndDeletionThere() throws Exception {
        jwg = JwgProcess.startInterface(nsJ, JwgProcess.uniqueIfName(), Map.of());
        setconf();
        move(nsJ, nsC);
        Traffic.ping(hostC, Addrs.ipv4(TUNNEL_G));
        go.awaitHandshake(kj.publicKey(), HANDSHAKE);
        assertTrue(jwg.isAlive(), jwg.logTail(600));
        assertEquals(PORT_J, jwg.dump().listenPort(), "wg show still works through the UAPI socket");
        assertTrue(nsC.execOk("wg", "show", jwg.ifName(), "dump").stdout().contains(kg.publicKey()), "from the new namespace too");

        // A jumbo MTU set in the new namespace is followed, and packets that big cross both ways.
        nsC.ip("link", "set", jwg.ifName(), "mtu", Integer.toString(JUMBO_MTU));
        nsG.ip("link", "set", go.ifName(), "mtu", Integer.toString(JUMBO_MTU));
        LogLines.await(jwg, ": MTU " + JUMBO_MTU, Duration.ofSeconds(5));
        int payload = JUMBO_MTU - 28; // an IPv4 ICMP echo that fills the MTU exactly
        hostC.run(Duration.ofSeconds(30), "ping", "-c", "2", "-i", "0.3", "-W", "5", "-M", "do", "-s", Integer.toString(payload),
                Addrs.ipv4(TUNNEL_G)).orThrow();
        Traffic.Host hostG = Traffic.Host.of(nsG);
        hostG.run(Duration.ofSeconds(30), "ping", "-c", "2", "-i", "0.3", "-W", "5", "-M", "do", "-s", Integer.toString(payload),
                Addrs.ipv4(TUNNEL_J)).orThrow();

        // Down drops the sessions (as the kernel's wg_stop): after up, traffic needs a new handshake.
        long first = goLatestHandshake();
        Thread.sleep(1100); // handshake times have a resolution of one second
        nsC.ip("link", "set", jwg.ifName(), "down");
        LogLines.await(jwg, " is down: sessions dropped", Duration.ofSeconds(5));
        nsC.ip("link", "set", jwg.ifName(), "up");
        Traffic.pingUntilAnswered(hostC, Addrs.ipv4(TUNNEL_G), 10);
        long second = goLatestHandshake();
        assertTrue(second > first, "a new handshake after down/up: " + first + " then " + second + "; " + jwg.logTail(600));

        // Back to where it was born, and out again.
        move(nsC, nsJ);
        Traffic.pingUntilAnswered(hostJ, Addrs.ipv4(TUNNEL_G), 10);
        move(nsJ, nsC);
        Traffic.pingUntilAnswered(hostC, Addrs.ipv4(TUNNEL_G), 10);

        // Deleted where it lives now: jwg ends by itself, cleanly, and removes its UAPI socket.
        nsC.ip("link", "delete", jwg.ifName());
        assertEquals(0, jwg.awaitExit(Duration.ofSeconds(10)), jwg.logTail(600));
        assertFalse(Files.exists(jwg.uapiSocket()), "UAPI socket removed");
        assertTrue(LogLines.contains(jwg, "was removed") || LogLines.contains(jwg, "is gone"), jwg.logTail(600));
    }

    @Test
    void configModeKeepsItsRoutingAtHomeAndServesTheMovedInterface() {
        jwg = JwgProcess.start(nsJ, JwgProcess.uniqueIfName(), jwgConfig().withAddresses(TUNNEL_J));
        LogLines.await(jwg, "is up: UDP port " + PORT_J, Duration.ofSeconds(20));
        Traffic.ping(hostJ, Addrs.ipv4(TUNNEL_G));
        nsJ.ip("link", "set", jwg.ifName(), "netns", nsC.name());
        nsC.ip("address", "add", TUNNEL_J, "dev", jwg.ifName());
        nsC.ip("link", "set", jwg.ifName(), "up");
        Traffic.pingUntilAnswered(hostC, Addrs.ipv4(TUNNEL_G), 10);
        assertTrue(jwg.isAlive(), jwg.logTail(600));
        assertTrue(Files.exists(jwg.uapiSocket()));
        // SIGTERM: wg-quick down's steps in j (the interface's own routes went with it), the TUN closed
        // wherever it is; close() checks the exit code and that j has no such link.
        jwg.close();
        assertFalse(nsC.hasLink(jwg.ifName()), "the moved interface is gone too");
        assertFalse(Files.exists(jwg.uapiSocket()), "UAPI socket removed");
    }

    /**
     * Opens a TUN named by JWG_TEST_IF (without IFF_VNET_HDR, as a container runtime might) and its
     * UAPI socket, writes the socket's inode to JWG_TEST_INODE, and execs the rest of the command
     * line with them as WG_TUN_FD=3 and WG_UAPI_FD=4, as wireguard-go's own daemon hand-off does.
     */
    static final String HAND_OVER = """
            import fcntl, os, socket, struct, sys
            name = os.environ["JWG_TEST_IF"]
            tun = os.open("/dev/net/tun", os.O_RDWR)
            fcntl.ioctl(tun, 0x400454ca, struct.pack("16sH", name.encode(), 0x0001 | 0x1000))
            os.makedirs("/var/run/wireguard", exist_ok=True)
            path = "/var/run/wireguard/%s.sock" % name
            s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            s.bind(path)
            s.listen(16)
            open(os.environ["JWG_TEST_INODE"], "w").write(str(os.stat(path).st_ino))
            os.dup2(tun, 10); os.dup2(s.fileno(), 11)
            os.dup2(10, 3); os.dup2(11, 4)
            os.execve(sys.argv[1], sys.argv[1:], dict(os.environ, WG_TUN_FD="3", WG_UAPI_FD="4"))
            """;

    @Test
    void takesATunAndAUapiSocketHandedOver() throws Exception {
        String ifName = JwgProcess.uniqueIfName();
        java.nio.file.Path inode = nsJ.logDir().resolve(ifName + ".inode");
        Files.createDirectories(inode.getParent());
        // The name on the command line is not the interface's: the TUN handed over keeps its own.
        jwg = JwgProcess.startInterface(nsJ, ifName, Map.of("JWG_TEST_IF", ifName, "JWG_TEST_INODE", inode.toString()),
                java.util.List.of("/usr/bin/python3", "-c", HAND_OVER), "jwgunused0");
        // The line comes just after the UAPI socket's, which startInterface waits for.
        LogLines.await(jwg, "interface " + ifName + " handed over", Duration.ofSeconds(5));
        assertTrue(LogLines.contains(jwg, "offloads: TUN offloads off"), "the TUN as it was opened, without IFF_VNET_HDR: " + jwg.logTail(600));
        assertEquals(Long.parseLong(Files.readString(inode).strip()), (Long) Files.getAttribute(jwg.uapiSocket(), "unix:ino"),
                "the UAPI socket handed over, not one of jwg's own");
        setconf();
        nsJ.ip("address", "add", TUNNEL_J, "dev", ifName);
        nsJ.ip("link", "set", ifName, "up");
        Traffic.ping(hostJ, Addrs.ipv4(TUNNEL_G));
        move(nsJ, nsC);
        Traffic.pingUntilAnswered(hostC, Addrs.ipv4(TUNNEL_G), 10);
        jwg.close(); // SIGTERM: exit 0 and the interface gone
        assertFalse(nsC.hasLink(ifName));
        assertFalse(Files.exists(jwg.uapiSocket()), "the socket handed over is removed at the end, as wireguard-go's");
    }
}
