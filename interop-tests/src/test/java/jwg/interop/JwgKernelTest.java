package jwg.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import jwg.interop.fixture.Addrs;
import jwg.interop.fixture.JwgProcess;
import jwg.interop.fixture.KernelPeer;
import jwg.interop.fixture.Netns;
import jwg.interop.fixture.WgConfig;
import jwg.interop.fixture.WgDump;
import jwg.interop.fixture.WgKeys;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * jwg against the Linux kernel's WireGuard ({@link KernelPeer}: a qemu VM here, booted once for
 * the class; each test recreates its wg0). jwg runs in the namespace that holds the VM's tap.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class JwgKernelTest {
    static final String UNDERLAY_J = "172.31.9.1/24,fd31:9::1/64";
    static final String UNDERLAY_K = "172.31.9.2/24,fd31:9::2/64";
    static final String TUNNEL_J = "10.99.0.1/24,fd99::1/64";
    static final String TUNNEL_K = "10.99.0.2/24,fd99::2/64";
    static final String ALLOWED_J = "10.99.0.1/32,fd99::1/128";
    static final String ALLOWED_K = "10.99.0.2/32,fd99::2/128";
    static final int PORT_J = 51821;
    static final int PORT_K = 51820;
    static final Duration HANDSHAKE = Duration.ofSeconds(20);
    /** The VM moves ~50 Mbit/s through WireGuard: a few MB each way. */
    static final long BULK_BYTES = 4L << 20;

    static Netns ns;
    static KernelPeer kernel;
    static Traffic.Host hostJ;
    static Traffic.Host hostK;
    WgKeys.KeyPair kj;
    WgKeys.KeyPair kk;
    JwgProcess jwg;

    @BeforeAll
    @Timeout(value = 300, unit = TimeUnit.SECONDS)
    static void bootKernelPeer() {
        ns = Netns.create("jk");
        kernel = KernelPeer.start(ns, UNDERLAY_J, UNDERLAY_K, 1500);
        System.out.println("kernel peer: " + kernel.describe());
        hostJ = Traffic.Host.of(ns);
        hostK = Traffic.Host.of(kernel);
    }

    @AfterAll
    static void stopKernelPeer() {
        Closing.closeAll(kernel, ns);   // the VM before its namespace, which holds the tap
    }

    @BeforeEach
    void keys() {
        kj = WgKeys.generate();
        kk = WgKeys.generate();
    }

    @AfterEach
    void stopJwg() {
        Closing.closeAll(jwg, kernel::removeInterface);
    }

    @Test
    void jwgInitiatesOverIpv4UnderlayWithoutPsk() {
        start(null, null, Addrs.endpoint(Addrs.ipv4(UNDERLAY_K), PORT_K), null);
        Traffic.ping(hostJ, Addrs.ipv4(TUNNEL_K));
        WgDump.Peer seen = kernel.awaitHandshake(kj.publicKey(), HANDSHAKE);
        assertEquals(Addrs.endpoint(Addrs.ipv4(UNDERLAY_J), PORT_J), seen.endpoint(), "the kernel learned jwg's endpoint");
        assertNull(seen.presharedKey());
        pingsBothWaysBothFamilies();
        assertTrue(LogLines.contains(jwg, LogLines.handshakeLine(kk.publicKey())), jwg.logTail(600));
        WgDump.Peer after = kernel.dump().peer(kj.publicKey()).orElseThrow();
        assertTrue(after.rxBytes() > 0 && after.txBytes() > 0, after.toString());
    }

    @Test
    void kernelInitiatesOverIpv6UnderlayWithPskAndJwgLearnsTheEndpoint() {
        String psk = WgKeys.presharedKey();
        start(psk, psk, null, Addrs.endpoint(Addrs.ipv6(UNDERLAY_J), PORT_J));
        Traffic.ping(hostK, Addrs.ipv6(TUNNEL_J));   // the kernel initiates
        WgDump.Peer seen = kernel.awaitHandshake(kj.publicKey(), HANDSHAKE);
        assertEquals(psk, seen.presharedKey());
        assertEquals(Addrs.endpoint(Addrs.ipv6(UNDERLAY_J), PORT_J), seen.endpoint());
        pingsBothWaysBothFamilies();   // jwg had no endpoint: it answers to the one it learned
        LogLines.await(jwg, LogLines.handshakeLine(kk.publicKey()), HANDSHAKE);
    }

    @Test
    void jwgInitiatesOverIpv6UnderlayWithPsk() {
        String psk = WgKeys.presharedKey();
        start(psk, psk, Addrs.endpoint(Addrs.ipv6(UNDERLAY_K), PORT_K), null);
        Traffic.ping(hostJ, Addrs.ipv6(TUNNEL_K));
        WgDump.Peer seen = kernel.awaitHandshake(kj.publicKey(), HANDSHAKE);
        assertEquals(Addrs.endpoint(Addrs.ipv6(UNDERLAY_J), PORT_J), seen.endpoint());
        assertEquals(psk, seen.presharedKey());
        pingsBothWaysBothFamilies();
    }

    @Test
    void mismatchedPskGivesNoHandshake() {
        start(WgKeys.presharedKey(), WgKeys.presharedKey(), Addrs.endpoint(Addrs.ipv4(UNDERLAY_K), PORT_K), null);
        assertFalse(Traffic.pingAnswered(hostJ, Addrs.ipv4(TUNNEL_K)), "ping through a tunnel with different PSKs");
        assertFalse(Traffic.pingAnswered(hostK, "-c", "1", Addrs.ipv4(TUNNEL_J)));
        WgDump.Peer seen = kernel.dump().peer(kj.publicKey()).orElseThrow();
        assertFalse(seen.hasHandshake(), seen.toString());
        // the kernel did get jwg's initiation (it learned jwg's endpoint from it) and answered it
        assertEquals(Addrs.endpoint(Addrs.ipv4(UNDERLAY_J), PORT_J), seen.endpoint(), "jwg's initiation reached the kernel");
        assertFalse(LogLines.contains(jwg, "handshake complete"), "jwg must not complete a handshake: " + jwg.logTail(600));
    }

    @Test
    void hashedTransfersBothWaysArriveIntact() {
        start(null, null, Addrs.endpoint(Addrs.ipv4(UNDERLAY_K), PORT_K), null);
        Traffic.ping(hostJ, Addrs.ipv4(TUNNEL_K));
        Duration t = Duration.ofSeconds(120);
        Traffic.Transfer toKernel = Traffic.transfer(hostJ, hostK, Addrs.ipv4(TUNNEL_K), 5001, BULK_BYTES, t);
        System.out.printf("jwg -> kernel: %d bytes in %d ms (%.1f Mbit/s)%n",
                toKernel.receivedBytes(), toKernel.millis(), toKernel.mbitPerSecond());
        toKernel.assertIntact(BULK_BYTES);
        Traffic.Transfer toJwg = Traffic.transfer(hostK, hostJ, Addrs.ipv4(TUNNEL_J), 5002, BULK_BYTES, t);
        System.out.printf("kernel -> jwg: %d bytes in %d ms (%.1f Mbit/s)%n",
                toJwg.receivedBytes(), toJwg.millis(), toJwg.mbitPerSecond());
        toJwg.assertIntact(BULK_BYTES);
        Traffic.transfer(hostK, hostJ, Addrs.ipv6(TUNNEL_J), 5003, 1L << 20, t).assertIntact(1L << 20);
    }

    // ---- helpers ----------------------------------------------------------------------------

    /**
     * Configures the kernel's wg0 (PORT_K) and starts jwg (PORT_J) with each other as their single peer.
     *
     * @param jwgEndpoint    endpoint jwg has for the kernel, or null (jwg must learn it)
     * @param kernelEndpoint endpoint the kernel has for jwg, or null
     */
    private void start(String pskJ, String pskK, String jwgEndpoint, String kernelEndpoint) {
        kernel.configure(WgConfig.of(kk, PORT_K).withAddresses(TUNNEL_K)
                .withPeer(WgConfig.Peer.of(kj.publicKey(), ALLOWED_J).withPresharedKey(pskK).withEndpoint(kernelEndpoint)));
        jwg = JwgProcess.start(ns, JwgProcess.uniqueIfName(), WgConfig.of(kj, PORT_J).withAddresses(TUNNEL_J)
                .withPeer(WgConfig.Peer.of(kk.publicKey(), ALLOWED_K).withPresharedKey(pskJ).withEndpoint(jwgEndpoint)));
        LogLines.await(jwg, "is up: UDP port " + PORT_J, Duration.ofSeconds(20));
    }

    private void pingsBothWaysBothFamilies() {
        Traffic.ping(hostJ, Addrs.ipv4(TUNNEL_K));
        Traffic.ping(hostJ, Addrs.ipv6(TUNNEL_K));
        Traffic.ping(hostK, Addrs.ipv4(TUNNEL_J));
        Traffic.ping(hostK, Addrs.ipv6(TUNNEL_J));
    }
}
