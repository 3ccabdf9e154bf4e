package jwg.interop;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * jwg's offloads (TUN IFF_VNET_HDR with checksum offload, TSO and USO, TCP and UDP coalescing on TUN writes,
 * UDP GSO, UDP GRO) each on and off against wireguard-go, and jwg with all of them against jwg
 * with none: hashed TCP transfers both ways, IPv4 and IPv6 inside, arrive intact; the startup log
 * names what is on; with the TUN offloads on, the TUN really carries super-packets both ways, and
 * an application's UDP GSO sends (USO) leave as the datagrams it asked for.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class JwgOffloadsTest {
    static final String UNDERLAY_J = "192.168.78.1/24,fd78::1/64";
    static final String UNDERLAY_G = "192.168.78.2/24,fd78::2/64";
    static final String TUNNEL_J = "10.10.0.1/24,fd10::1/64";
    static final String TUNNEL_G = "10.10.0.2/24,fd10::2/64";
    static final int PORT_J = 51821;
    static final int PORT_G = 51820;
    static final long BULK_BYTES = 16L << 20;

    enum Setting {
        ALL_ON(List.of(), "TUN csum tso4 tso6 uso4 uso6, TCP and UDP coalescing on writes, UDP GSO on, UDP GRO on"),
        TUN_OFF(List.of("-Djwg.offload.tun=false"), "TUN offloads off, UDP GSO on, UDP GRO on"),
        UDP_GSO_OFF(List.of("-Djwg.offload.udp-gso=false"), "UDP GSO off, UDP GRO on"),
        UDP_GRO_OFF(List.of("-Djwg.offload.udp-gro=false"), "UDP GSO on, UDP GRO off"),
        ALL_OFF(List.of("-Djwg.offload=false"), "TUN offloads off, UDP GSO off, UDP GRO off");

        final List<String> jvmOptions;
        final String logged;

        Setting(List<String> jvmOptions, String logged) {
            this.jvmOptions = jvmOptions;
            this.logged = logged;
        }
    }

    Netns nsJ;
    Netns nsG;
    Traffic.Host hostJ;
    Traffic.Host hostG;
    WgKeys.KeyPair kj;
    WgKeys.KeyPair kg;
    JwgProcess jwg;
    JwgProcess other;
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
        Closing.closeAll(jwg, other, go, nsJ, nsG);
    }

    @ParameterizedTest
    @EnumSource(Setting.class)
    void bulkTransfersAgainstWireguardGo(Setting setting) {
        go = WireguardGoPeer.start(nsG, WgConfig.of(kg, PORT_G).withAddresses(TUNNEL_G)
                .withPeer(WgConfig.Peer.of(kj.publicKey(), "10.10.0.1/32,fd10::1/128")));
        jwg = startJwg(nsJ, configJ(), setting.jvmOptions);
        assertTrue(LogLines.contains(jwg, setting.logged), "expected '" + setting.logged + "' in " + jwg.logTail(800));
        transfersBothWays();
    }

    @Test
    void allOnAgainstAllOff() {
        jwg = startJwg(nsJ, configJ(), List.of());
        other = startJwg(nsG, WgConfig.of(kg, PORT_G).withAddresses(TUNNEL_G)
                .withPeer(WgConfig.Peer.of(kj.publicKey(), "10.10.0.1/32,fd10::1/128")), List.of("-Djwg.offload=false"));
        transfersBothWays();
    }

    /** UDP GSO and GRO over an IPv6 underlay (the dual-stack socket, the IPv6 payload limit). */
    @Test
    void allOnBetweenTwoJwgOverAnIpv6Underlay() {
        jwg = startJwg(nsJ, WgConfig.of(kj, PORT_J).withAddresses(TUNNEL_J)
                .withPeer(WgConfig.Peer.of(kg.publicKey(), "10.10.0.2/32,fd10::2/128")
                        .withEndpoint(Addrs.endpoint(Addrs.ipv6(UNDERLAY_G), PORT_G))), List.of());
        other = startJwg(nsG, WgConfig.of(kg, PORT_G).withAddresses(TUNNEL_G)
                .withPeer(WgConfig.Peer.of(kj.publicKey(), "10.10.0.1/32,fd10::1/128")), List.of());
        transfersBothWays();
    }

    /**
     * With TSO and coalescing, far fewer (larger) packets cross jwg's TUN than TCP segments cross
     * the wire. Between two jwg: coalescing needs the segments of a super-packet to arrive
     * together, which a UDP GSO sender gives (one datagram at a time from wireguard-go 0.0.2022
     * leaves nothing to merge).
     */
    @Test
    void theTunCarriesSuperPacketsBothWays() {
        jwg = startJwg(nsJ, configJ(), List.of());
        other = startJwg(nsG, WgConfig.of(kg, PORT_G).withAddresses(TUNNEL_G)
                .withPeer(WgConfig.Peer.of(kj.publicKey(), "10.10.0.1/32,fd10::1/128")), List.of());
        Traffic.ping(hostJ, Addrs.ipv4(TUNNEL_G));
        long segments = BULK_BYTES / 1400;
        long tx0 = tunCounter("tx_packets");
        Traffic.transfer(hostJ, hostG, Addrs.ipv4(TUNNEL_G), 5101, BULK_BYTES, Duration.ofSeconds(120)).assertIntact(BULK_BYTES);
        long read = tunCounter("tx_packets") - tx0;
        assertTrue(read < segments / 3, "the kernel handed jwg " + read + " packets for ~" + segments + " segments: no TSO?");
        long rx0 = tunCounter("rx_packets");
        Traffic.transfer(hostG, hostJ, Addrs.ipv4(TUNNEL_J), 5102, BULK_BYTES, Duration.ofSeconds(120)).assertIntact(BULK_BYTES);
        long written = tunCounter("rx_packets") - rx0;
        assertTrue(written < segments / 3, "jwg wrote " + written + " packets for ~" + segments + " segments: no coalescing?");
    }

    /**
     * A UDP sender using UDP GSO (UDP_SEGMENT) through jwg: with USO on the TUN the kernel hands jwg
     * each 20 KB send whole (gso_type UDP_L4), jwg cuts it into the 1000-byte datagrams the sender
     * asked for, and wireguard-go's side receives exactly those, intact.
     */
    @Test
    void udpSegmentationOffloadFromAnAppArrivesAsItsDatagrams() throws Exception {
        startWireguardGoAndJwg();
        Scripts g = gsoSends(5, "10.10.0.2", 5201);
        long tx0 = tunCounter("tx_packets");
        String result = udpExchange(g.receiver(), 5201, g.sender());
        long handed = tunCounter("tx_packets") - tx0;
        assertTrue(result.endsWith("100 [1000] 0"), "receiver saw: " + result);
        assertTrue(handed < 50, "the kernel handed jwg " + handed + " packets for 5 UDP GSO sends of 20 datagrams: no USO?");
    }

    /**
     * Bursts of single datagrams of changing sizes, which jwg seals back to back into UDP GSO
     * batches (a batch ends where the size changes): every datagram arrives once, intact, in order.
     */
    @Test
    void burstsOfDatagramsOfScriptsArriveIntactAndInOrder() throws Exception {
        startWireguardGoAndJwg();
        Scripts c = changingSizes("AF_INET", "0.0.0.0", "10.10.0.2", 5202);
        String result = udpExchange(c.receiver(), 5202, c.sender());
        assertTrue(result.endsWith("400 True 0"), "receiver saw: " + result);
    }

    /**
     * Between two jwg, UDP the other way: an app's UDP GSO sends in nsG leave the other jwg as UDP
     * GSO batches, jwg (nsJ) receives each as one UDP GRO read and writes its datagrams to the TUN
     * as UDP super-packets (USO), which the kernel cuts back into the datagrams the app sent.
     */
    @Test
    void datagramsBetweenTwoJwgReachTheTunCoalesced() throws Exception {
        startTwoJwg();
        Scripts g = gsoSends(20, "10.10.0.1", 5203);
        long rx0 = tunCounter("rx_packets");
        String result = udpExchange(nsJ, g.receiver(), 5203, nsG, g.sender());
        long written = tunCounter("rx_packets") - rx0;
        assertTrue(result.endsWith("400 [1000] 0"), "receiver saw: " + result);
        assertTrue(written < 400 / 3, "jwg wrote " + written + " packets to its TUN for 400 datagrams: no UDP coalescing?");
    }

    /** Bursts of datagrams of changing sizes between two jwg: coalesced where they can be, each arrives once, intact, in order. */
    @Test
    void datagramsOfScriptsBetweenTwoJwgArriveIntactAndInOrder() throws Exception {
        startTwoJwg();
        Scripts c = changingSizes("AF_INET6", "::", "fd10::1", 5204);
        String result = udpExchange(nsJ, c.receiver(), 5204, nsG, c.sender());
        assertTrue(result.endsWith("400 True 0"), "receiver saw: " + result);
    }

    /** A python receiver and sender for {@link #udpExchange}. */
    record Scripts(String receiver, String sender) {}

    /**
     * Python scripts: the sender makes `sends` UDP GSO sends (UDP_SEGMENT 1000) of 20 datagrams of
     * 1000 bytes each, every datagram filled with its own number, to to:port; the receiver prints
     * how many datagrams came, their sizes, and how many were damaged.
     */
    private static Scripts gsoSends(int sends, String to, int port) {
        String receiver = """
                import socket
                s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
                s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 << 20)
                s.bind(("0.0.0.0", %d)); s.settimeout(5)
                sizes = set(); n = 0; bad = 0
                print("ready", flush=True)
                while n < %d:
                    try: d = s.recv(65535)
                    except socket.timeout: break
                    n += 1; sizes.add(len(d))
                    if d != bytes([d[0]]) * len(d): bad += 1
                print(n, sorted(sizes), bad)
                """.formatted(port, sends * 20);
        String sender = """
                import socket, time
                s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
                s.setsockopt(socket.SOL_UDP, 103, 1000)  # UDP_SEGMENT
                for k in range(%d):
                    s.sendto(b"".join(bytes([(k * 20 + i) %% 256]) * 1000 for i in range(20)), ("%s", %d))
                    time.sleep(0.02)
                """.formatted(sends, to, port);
        return new Scripts(receiver, sender);
    }

    /**
     * Python scripts: the sender sends 400 datagrams numbered in their first two bytes, of 100 or
     * 700 bytes by their number, in bursts of 40, to to:port; the receiver (bound to bind:port)
     * prints how many came, whether in order, and how many were damaged.
     */
    private static Scripts changingSizes(String family, String bind, String to, int port) {
        String receiver = """
                import socket
                s = socket.socket(socket.%s, socket.SOCK_DGRAM)
                s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 << 20)
                s.bind(("%s", %d)); s.settimeout(5)
                got = []; bad = 0
                print("ready", flush=True)
                while len(got) < 400:
                    try: d = s.recv(65535)
                    except socket.timeout: break
                    i = int.from_bytes(d[:2], "big"); got.append(i)
                    if len(d) != 100 + (i %% 7) // 3 * 600 or d[2:] != bytes([i %% 251]) * (len(d) - 2): bad += 1
                print(len(got), got == list(range(400)), bad)
                """.formatted(family, bind, port);
        String sender = """
                import socket, time
                s = socket.socket(socket.%s, socket.SOCK_DGRAM)
                for i in range(400):
                    n = 100 + (i %% 7) // 3 * 600
                    s.sendto(i.to_bytes(2, "big") + bytes([i %% 251]) * (n - 2), ("%s", %d))
                    if i %% 40 == 39: time.sleep(0.02)
                """.formatted(family, to, port);
        return new Scripts(receiver, sender);
    }

    /** jwg in nsJ and another jwg in nsG, both with every offload, the tunnel carrying ping. */
    private void startTwoJwg() {
        jwg = startJwg(nsJ, configJ(), List.of());
        other = startJwg(nsG, WgConfig.of(kg, PORT_G).withAddresses(TUNNEL_G)
                .withPeer(WgConfig.Peer.of(kj.publicKey(), "10.10.0.1/32,fd10::1/128")), List.of());
        Traffic.pingUntilAnswered(hostJ, Addrs.ipv4(TUNNEL_G), 15);
    }

    /** wireguard-go in nsG, jwg in nsJ with it as peer, the tunnel carrying ping. */
    private void startWireguardGoAndJwg() {
        go = WireguardGoPeer.start(nsG, WgConfig.of(kg, PORT_G).withAddresses(TUNNEL_G)
                .withPeer(WgConfig.Peer.of(kj.publicKey(), "10.10.0.1/32,fd10::1/128")));
        jwg = startJwg(nsJ, configJ(), List.of());
        Traffic.pingUntilAnswered(hostJ, Addrs.ipv4(TUNNEL_G), 15);
    }

    /** Runs the python receiver in nsG until it listens on UDP port, the sender in nsJ; the receiver's last output. */
    private String udpExchange(String receiver, int port, String sender) throws Exception {
        return udpExchange(nsG, receiver, port, nsJ, sender);
    }

    private static String udpExchange(Netns receiverNs, String receiver, int port, Netns senderNs, String sender) throws Exception {
        java.util.concurrent.CompletableFuture<String> received = java.util.concurrent.CompletableFuture.supplyAsync(
                () -> receiverNs.execOk(Duration.ofSeconds(30), "python3", "-c", receiver).stdout().strip());
        Poll.until(Duration.ofSeconds(10), "the receiver to bind", () -> receiverNs.exec("ss", "-lun").stdout().contains(":" + port));
        senderNs.execOk(Duration.ofSeconds(20), "python3", "-c", sender);
        return received.get(40, TimeUnit.SECONDS);
    }

    private WgConfig configJ() {
        return WgConfig.of(kj, PORT_J).withAddresses(TUNNEL_J)
                .withPeer(WgConfig.Peer.of(kg.publicKey(), "10.10.0.2/32,fd10::2/128")
                        .withEndpoint(Addrs.endpoint(Addrs.ipv4(UNDERLAY_G), PORT_G)));
    }

    private static JwgProcess startJwg(Netns ns, WgConfig cfg, List<String> jvmOptions) {
        JwgProcess p = JwgProcess.start(ns, JwgProcess.uniqueIfName(), cfg, jvmOptions);
        LogLines.await(p, "is up: UDP port " + cfg.listenPort(), Duration.ofSeconds(20));
        return p;
    }

    private void transfersBothWays() {
        Traffic.pingUntilAnswered(hostJ, Addrs.ipv4(TUNNEL_G), 15);
        Duration t = Duration.ofSeconds(120);
        Traffic.transfer(hostJ, hostG, Addrs.ipv4(TUNNEL_G), 5001, BULK_BYTES, t).assertIntact(BULK_BYTES);
        Traffic.transfer(hostG, hostJ, Addrs.ipv4(TUNNEL_J), 5002, BULK_BYTES, t).assertIntact(BULK_BYTES);
        Traffic.transfer(hostJ, hostG, Addrs.ipv6(TUNNEL_G), 5003, BULK_BYTES, t).assertIntact(BULK_BYTES);
        Traffic.transfer(hostG, hostJ, Addrs.ipv6(TUNNEL_J), 5004, BULK_BYTES, t).assertIntact(BULK_BYTES);
    }

    /** A counter of jwg's interface: tx_packets are what the kernel handed jwg, rx_packets what jwg wrote. */
    private long tunCounter(String name) {
        return Long.parseLong(nsJ.execOk("cat", "/sys/class/net/" + jwg.ifName() + "/statistics/" + name).stdout().strip());
    }
}
