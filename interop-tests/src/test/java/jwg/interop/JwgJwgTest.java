package jwg.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import jwg.interop.fixture.Addrs;
import jwg.interop.fixture.JwgProcess;
import jwg.interop.fixture.Netns;
import jwg.interop.fixture.Poll;
import jwg.interop.fixture.Veth;
import jwg.interop.fixture.WgConfig;
import jwg.interop.fixture.WgKeys;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * jwg against jwg in two namespaces: a has b's endpoint, b has none (b is the responder that
 * learns a's endpoint). Neither serves `wg show` yet: the tests look at traffic and the logs.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class JwgJwgTest {
    static final String UNDERLAY_A = "192.168.78.1/24,fd78::1/64";
    static final String UNDERLAY_B = "192.168.78.2/24,fd78::2/64";
    static final String TUNNEL_A = "10.10.0.1/24,fd10::1/64";
    static final String TUNNEL_B = "10.10.0.2/24,fd10::2/64";
    static final int PORT = 51820;
    static final long BULK_BYTES = 10L << 20;
    static final Duration HANDSHAKE = Duration.ofSeconds(15);

    Netns nsA;
    Netns nsB;
    Traffic.Host hostA;
    Traffic.Host hostB;
    WgKeys.KeyPair ka;
    WgKeys.KeyPair kb;
    WgConfig cfgA;
    WgConfig cfgB;
    String ifA;
    String ifB;
    JwgProcess a;
    JwgProcess b;

    @BeforeEach
    void setUp() {
        nsA = Netns.create("a");
        nsB = Netns.create("b");
        Veth.connect(nsA, UNDERLAY_A, nsB, UNDERLAY_B, 1500);
        hostA = Traffic.Host.of(nsA);
        hostB = Traffic.Host.of(nsB);
        ka = WgKeys.generate();
        kb = WgKeys.generate();
        String psk = WgKeys.presharedKey();
        cfgA = WgConfig.of(ka, PORT).withAddresses(TUNNEL_A).withPeer(WgConfig.Peer.of(kb.publicKey(), "10.10.0.2/32,fd10::2/128")
                .withPresharedKey(psk).withEndpoint(Addrs.ipv4(UNDERLAY_B), PORT));
        cfgB = WgConfig.of(kb, PORT).withAddresses(TUNNEL_B).withPeer(WgConfig.Peer.of(ka.publicKey(), "10.10.0.1/32,fd10::1/128")
                .withPresharedKey(psk));
        ifA = JwgProcess.uniqueIfName();
        ifB = JwgProcess.uniqueIfName();
    }

    @AfterEach
    void tearDown() {
        Closing.closeAll(a, b, nsA, nsB);
    }

    @Test
    void handshakePingsAndHashedTransfersBothWays() {
        a = startA();
        b = startB();
        Traffic.ping(hostA, Addrs.ipv4(TUNNEL_B));
        LogLines.await(a, LogLines.handshakeLine(kb.publicKey()), HANDSHAKE);
        LogLines.await(b, LogLines.handshakeLine(ka.publicKey()), HANDSHAKE);
        pingsBothWaysBothFamilies();
        Duration t = Duration.ofSeconds(120);
        Traffic.Transfer ab = Traffic.transfer(hostA, hostB, Addrs.ipv4(TUNNEL_B), 5001, BULK_BYTES, t);
        System.out.printf("jwg a -> jwg b, IPv4 inside: %d bytes in %d ms (%.0f Mbit/s)%n",
                ab.receivedBytes(), ab.millis(), ab.mbitPerSecond());
        ab.assertIntact(BULK_BYTES);
        Traffic.Transfer ba = Traffic.transfer(hostB, hostA, Addrs.ipv6(TUNNEL_A), 5002, BULK_BYTES, t);
        System.out.printf("jwg b -> jwg a, IPv6 inside: %d bytes in %d ms (%.0f Mbit/s)%n",
                ba.receivedBytes(), ba.millis(), ba.mbitPerSecond());
        ba.assertIntact(BULK_BYTES);
        assertEquals(1, LogLines.count(a, "handshake complete"), "one handshake was enough: " + a.logTail(600));
    }

    @Test
    void responderWithoutEndpointReachesThePeerOnlyAfterItsInitiation() {
        a = startA();
        b = startB();
        assertFalse(Traffic.pingAnswered(hostB, "-c", "1", Addrs.ipv4(TUNNEL_A)), "b has no endpoint for a yet");
        LogLines.await(b, "no endpoint", Duration.ofSeconds(5));
        assertFalse(LogLines.contains(a, "handshake complete"));
        Traffic.ping(hostA, Addrs.ipv6(TUNNEL_B));   // a initiates
        Traffic.ping(hostB, Addrs.ipv4(TUNNEL_A));   // b answers to the endpoint it learned
        Traffic.ping(hostB, Addrs.ipv6(TUNNEL_A));
        LogLines.await(b, LogLines.handshakeLine(ka.publicKey()), HANDSHAKE);
    }

    @Test
    void afterTheResponderRestartsTheInitiatorHandshakesAgainAndTrafficResumes() {
        a = startA();
        b = startB();
        pingsBothWaysBothFamilies();
        assertEquals(0, b.stop(), "b stops cleanly on SIGTERM: " + b.logTail(400));
        assertFalse(nsB.hasLink(ifB), "b's interface is gone");
        b = startB();
        // a still holds the old session, which the new b does not know: a must notice and re-handshake
        Traffic.pingUntilAnswered(hostA, Addrs.ipv4(TUNNEL_B), 45);
        LogLines.await(a, LogLines.handshakeLine(kb.publicKey()), 2, HANDSHAKE);
        pingsBothWaysBothFamilies();
        Traffic.transfer(hostB, hostA, Addrs.ipv4(TUNNEL_A), 5003, 1L << 20, Duration.ofSeconds(60)).assertIntact(1L << 20);
    }

    @Test
    void afterTheInitiatorRestartsItHandshakesAgainAndTrafficResumes() {
        a = startA();
        b = startB();
        pingsBothWaysBothFamilies();
        assertEquals(0, a.stop(), "a stops cleanly on SIGTERM: " + a.logTail(400));
        assertFalse(nsA.hasLink(ifA), "a's interface is gone");
        a = startA();
        Traffic.pingUntilAnswered(hostA, Addrs.ipv4(TUNNEL_B), 20);
        LogLines.await(b, LogLines.handshakeLine(ka.publicKey()), 2, HANDSHAKE);
        pingsBothWaysBothFamilies();
        Traffic.transfer(hostA, hostB, Addrs.ipv6(TUNNEL_B), 5004, 1L << 20, Duration.ofSeconds(60)).assertIntact(1L << 20);
    }

    @Test
    void sigtermRemovesTheInterfaceAndExitsZero() {
        a = startA();
        assertTrue(nsA.ip("-o", "addr", "show", "dev", ifA).contains("10.10.0.1/24"), "Address applied");
        long pid = nsA.pids().stream().filter(p -> ProcessHandle.of(p).flatMap(h -> h.info().command())
                .map(c -> c.endsWith("/java")).orElse(false)).findFirst().orElseThrow();
        assertEquals(0, a.stop(), "exit code after SIGTERM: " + a.logTail(400));
        assertFalse(nsA.hasLink(ifA), "the interface is removed");
        assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "the jwg JVM is gone");
        assertTrue(LogLines.contains(a, "stopping " + ifA), a.logTail(400));
        assertFalse(java.nio.file.Files.exists(uapiSocket(ifA)), "no UAPI socket left behind");
    }

    @Test
    void deletingTheInterfaceMakesJwgExit() {
        a = startA();
        b = startB();
        Traffic.ping(hostA, Addrs.ipv4(TUNNEL_B));
        nsA.ip("link", "del", ifA);
        try {
            Poll.until(Duration.ofSeconds(15), "jwg to exit after its interface was deleted", () -> !a.isAlive());
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + ": " + a.logTail(600), e);
        }
        assertEquals(0, a.stop(), "exit code: " + a.logTail(600));
        assertFalse(nsA.hasLink(ifA));
        assertTrue(LogLines.contains(a, "stopping " + ifA), a.logTail(400));
        assertFalse(java.nio.file.Files.exists(uapiSocket(ifA)), "no UAPI socket left behind");
        // the other side is unaffected
        assertTrue(b.isAlive());
    }

    @Test
    void startsWithoutAStackTraceInANamespaceWhoseLoopbackIsDown() {
        // a fresh namespace (ip netns add) has lo down and no other interface; a file without
        // Address leaves no IPv4 address in it at all
        try (Netns bare = Netns.create("bare")) {
            bare.ip("link", "set", "lo", "down");
            String ifName = JwgProcess.uniqueIfName();
            try (JwgProcess p = start(bare, ifName, cfgA.withAddresses(""))) {
                assertTrue(bare.hasLink(ifName));
                assertFalse(LogLines.lines(p).stream().anyMatch(l -> l.contains("Exception") || l.startsWith("\tat ")),
                        "jwg's log has a stack trace: " + p.logTail(2000));
            }
        }
    }

    // ---- helpers ----------------------------------------------------------------------------

    private JwgProcess startA() {
        return start(nsA, ifA, cfgA);
    }

    private JwgProcess startB() {
        return start(nsB, ifB, cfgB);
    }

    /** Starts jwg and waits for this start's "is up" line (the log is appended to across restarts). */
    private static JwgProcess start(Netns ns, String ifName, WgConfig cfg) {
        String up = "interface " + ifName + " is up: UDP port " + PORT;
        long before = LogLines.lines(ns.logDir().resolve(ifName + ".log")).stream().filter(l -> l.contains(up)).count();
        JwgProcess p = JwgProcess.start(ns, ifName, cfg);
        LogLines.await(p, up, before + 1, Duration.ofSeconds(20));
        return p;
    }

    /** Where the UAPI socket of the interface is while jwg serves it. */
    private static java.nio.file.Path uapiSocket(String ifName) {
        return java.nio.file.Path.of("/var/run/wireguard", ifName + ".sock");
    }

    private void pingsBothWaysBothFamilies() {
        Traffic.ping(hostA, Addrs.ipv4(TUNNEL_B));
        Traffic.ping(hostA, Addrs.ipv6(TUNNEL_B));
        Traffic.ping(hostB, Addrs.ipv4(TUNNEL_A));
        Traffic.ping(hostB, Addrs.ipv6(TUNNEL_A));
    }
}
