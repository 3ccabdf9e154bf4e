package jwg.cli.uapi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import jwg.cli.testing.Cmd;
import jwg.cli.testing.Keys;
import jwg.cli.testing.LiveInterface;
import jwg.cli.testing.NetNs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two interfaces served in this process, in two namespaces joined by a veth pair, configured only
 * through wg(8): traffic flows, `wg show` reports the handshake and the counters, and changed keys
 * take effect on the next handshake.
 */
class TunnelTest {
    @TempDir
    Path dir;
    private NetNs nsA;
    private NetNs nsB;
    private LiveInterface a;
    private LiveInterface b;
    private final Keys ka = Keys.generate();
    private final Keys kb = Keys.generate();

    @BeforeEach
    void start() throws Exception {
        nsA = NetNs.create();
        nsB = NetNs.create();
        NetNs.link(nsA, "192.168.71.1", nsB, "192.168.71.2");
        a = LiveInterface.start(nsA, NetNs.uniqueName("jwga"));
        b = LiveInterface.start(nsB, NetNs.uniqueName("jwgb"));
        nsA.exec("ip", "address", "add", "10.71.0.1/24", "dev", a.name).orThrow();
        nsB.exec("ip", "address", "add", "10.71.0.2/24", "dev", b.name).orThrow();
        nsA.exec("ip", "link", "set", a.name, "up").orThrow();
        nsB.exec("ip", "link", "set", b.name, "up").orThrow();
    }

    @AfterEach
    void stop() throws Exception {
        for (LiveInterface i : new LiveInterface[] {a, b}) if (i != null) i.close();
        nsA.close();
        nsB.close();
    }

    @Test
    void trafficFlowsAndWgShowReportsTheSession() throws Exception {
        setconf(a, ka, 51871, kb, "192.168.71.2:51872", "10.71.0.2/32", null);
        setconf(b, kb, 51872, ka, null, "10.71.0.1/32", null);
        assertTrue(ping(nsA, "10.71.0.2"), "ping through the tunnel");
        long now = System.currentTimeMillis() / 1000;
        String[] peer = Cmd.ok("wg", "show", a.name, "dump").out().lines().skip(1).findFirst().orElseThrow().split("\t");
        long handshake = Long.parseLong(peer[4]);
        assertTrue(Math.abs(now - handshake) < 30, "latest handshake " + handshake + " is now (" + now + ")");
        assertTrue(Long.parseLong(peer[5]) > 0 && Long.parseLong(peer[6]) > 0, "rx and tx counted: " + String.join(" ", peer));
        String[] seenByB = Cmd.ok("wg", "show", b.name, "dump").out().lines().skip(1).findFirst().orElseThrow().split("\t");
        assertEquals("192.168.71.1:51871", seenByB[2], "B learned A's endpoint from the handshake");
    }

    @Test
    void aChangedPresharedKeyAppliesToTheNextHandshake() throws Exception {
        String psk = Keys.psk();
        setconf(a, ka, 51873, kb, "192.168.71.2:51874", "10.71.0.2/32", psk);
        setconf(b, kb, 51874, ka, null, "10.71.0.1/32", Keys.psk());
        assertFalse(ping(nsA, "10.71.0.2", 3), "different preshared keys: no handshake");
        Cmd.ok("wg", "set", b.name, "peer", ka.publicKey(), "preshared-key", write("psk", psk).toString());
        assertTrue(ping(nsA, "10.71.0.2", 20), "the same preshared key: the next handshake completes");
    }

    @Test
    void aNewPrivateKeyDropsTheSessionAndHandshakesAgainWithItsPublicKey() throws Exception {
        setconf(a, ka, 51875, kb, "192.168.71.2:51876", "10.71.0.2/32", null);
        setconf(b, kb, 51876, ka, "192.168.71.1:51875", "10.71.0.1/32", null);
        assertTrue(ping(nsA, "10.71.0.2"));
        Keys ka2 = Keys.generate();
        Cmd.ok("wg", "set", a.name, "private-key", write("a2", ka2.privateKey()).toString());
        assertEquals(ka2.publicKey(), Cmd.ok("wg", "show", a.name, "public-key").out().strip());
        assertFalse(ping(nsA, "10.71.0.2", 3), "B does not know A's new key");
        Cmd.ok("wg", "set", b.name, "peer", ka.publicKey(), "remove", "peer", ka2.publicKey(), "allowed-ips", "10.71.0.1/32",
                "endpoint", "192.168.71.1:51875");
        assertTrue(ping(nsA, "10.71.0.2", 20), "a handshake with the new key");
    }

    @Test
    void anUnclampedKeyIsReportedClampedAndSettingItAgainKeepsTheSession() throws Exception {
        Keys unclamped = new Keys(Keys.unclamped(ka.privateKey()), ka.publicKey());
        setconf(a, unclamped, 51879, kb, "192.168.71.2:51880", "10.71.0.2/32", null);
        setconf(b, kb, 51880, ka, null, "10.71.0.1/32", null);
        assertEquals(ka.privateKey(), Cmd.ok("wg", "show", a.name, "private-key").out().strip(), "clamped, as wireguard-go and the kernel");
        assertTrue(ping(nsA, "10.71.0.2"));
        String handshake = latestHandshake(a);
        Thread.sleep(1100); // a new handshake would be a second later
        Cmd.ok("wg", "set", a.name, "private-key", write("again", unclamped.privateKey()).toString());
        assertTrue(ping(nsA, "10.71.0.2"));
        assertEquals(handshake, latestHandshake(a), "the same key, clamped: no change, the session was kept");
    }

    @Test
    void aLargerMtuSetOnTheInterfaceIsFollowed() throws Exception {
        setconf(a, ka, 51877, kb, "192.168.71.2:51878", "10.71.0.2/32", null);
        setconf(b, kb, 51878, ka, null, "10.71.0.1/32", null);
        assertTrue(ping(nsA, "10.71.0.2"));
        nsA.exec("ip", "link", "set", a.name, "mtu", "9000").orThrow();
        nsB.exec("ip", "link", "set", b.name, "mtu", "9000").orThrow();
        Thread.sleep(200);
        assertTrue(nsA.exec("ping", "-c", "1", "-w", "10", "-M", "dont", "-s", "8000", "10.71.0.2").ok(),
                "an 8 kB packet through both TUNs (the outer datagrams are fragmented on the veth)");
    }

    private void setconf(LiveInterface i, Keys self, int port, Keys peer, String endpoint, String allowed, String psk) throws Exception {
        String conf = "[Interface]\nPrivateKey = " + self.privateKey() + "\nListenPort = " + port + "\n\n[Peer]\nPublicKey = "
                + peer.publicKey() + "\nAllowedIPs = " + allowed + "\n" + (endpoint == null ? "" : "Endpoint = " + endpoint + "\n")
                + (psk == null ? "" : "PresharedKey = " + psk + "\n");
        Cmd.ok("wg", "setconf", i.name, write(i.name + ".conf", conf).toString());
    }

    private static String latestHandshake(LiveInterface i) throws Exception {
        return Cmd.ok("wg", "show", i.name, "latest-handshakes").out().strip();
    }

    private Path write(String file, String content) throws Exception {
        return Files.writeString(dir.resolve(file), content);
    }

    static boolean ping(NetNs ns, String address) throws Exception {
        return ping(ns, address, 10);
    }

    /** Pings once a second for up to seconds; true once one reply came. */
    static boolean ping(NetNs ns, String address, int seconds) throws Exception {
        return ns.exec("ping", "-c", "1", "-w", Integer.toString(seconds), address).ok();
    }
}
