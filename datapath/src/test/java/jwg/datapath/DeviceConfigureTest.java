package jwg.datapath;

import jwg.net.IpPrefix;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.DatagramSocket;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ThreadLocalRandom;
import jwg.crypto.X25519;
import jwg.testing.NetNs;
import jwg.tun.TunDevice;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Device.configure and Device.state on a real device (TUN and UDP in a network namespace): the
 * semantics of the kernel and wireguard-go for each field, and atomicity.
 */
class DeviceConfigureTest {
    private NetNs ns;
    private Device device;
    private String name;

    @BeforeEach
    void start() throws Exception {
        ns = NetNs.create();
        ns.ip("link", "set", "lo", "up");
        name = "jwgdc" + HexFormat.of().toHexDigits((short) ThreadLocalRandom.current().nextInt());
        device = ns.call(() -> Device.start(TunDevice.open(name), 1420));
    }

    @AfterEach
    void stop() throws Exception {
        if (device != null) device.close();
        ns.close();
    }

    @Test
    void startsWithoutKeyOrPeersOnARandomPort() throws Exception {
        DeviceState s = device.state();
        assertTrue(s.privateKey().isEmpty());
        assertTrue(s.peers().isEmpty());
        assertEquals(0, s.fwmark());
        assertTrue(s.listenPort() > 0);
        assertEquals(s.listenPort(), device.listenPort());
    }

    @Test
    void privateKeyPeersAndTheirFieldsAreReportedAsSet() throws Exception {
        byte[] key = X25519.generatePrivateKey();
        byte[] a = publicKey();
        byte[] b = publicKey();
        byte[] psk = new byte[32];
        psk[0] = 7;
        InetSocketAddress endpoint = new InetSocketAddress(InetAddress.getByName("192.0.2.1"), 51820);
        device.configure(new DeviceUpdate(Optional.of(key.clone()), OptionalInt.empty(), OptionalInt.empty(), false, List.of(
                PeerUpdate.set(a, psk, endpoint, 0, List.of(ip("10.0.0.0", 24), ip("fd00::", 64), ip("10.9.0.1", 32))),
                PeerUpdate.set(b, null, null, 0, List.of()))));
        DeviceState s = device.state();
        assertArrayEquals(key, s.privateKey().orElseThrow());
        assertEquals(2, s.peers().size());
        PeerState pa = s.peers().get(0);
        assertArrayEquals(a, pa.publicKey(), "peers in the order they were added");
        assertArrayEquals(psk, pa.presharedKey());
        assertEquals(Optional.of(endpoint), pa.endpoint());
        assertEquals(List.of(ip("10.0.0.0", 24), ip("fd00::", 64), ip("10.9.0.1", 32)), pa.allowedIps(), "in the order given");
        assertEquals(0, pa.lastHandshakeEpochNanos());
        PeerState pb = s.peers().get(1);
        assertArrayEquals(b, pb.publicKey());
        assertArrayEquals(new byte[32], pb.presharedKey(), "no preshared key reads as zeros");
        assertTrue(pb.endpoint().isEmpty());
    }

    @Test
    void anAllowedIpMovesToThePeerItIsAddedTo() throws Exception {
        byte[] a = publicKey();
        byte[] b = publicKey();
        device.configure(peers(PeerUpdate.set(a, null, null, 0, List.of(ip("10.0.0.0", 24), ip("10.1.0.0", 16)))));
        device.configure(peers(new PeerUpdate(b, false, false, Optional.empty(), Optional.empty(), OptionalInt.empty(), false,
                List.of(AllowedIpChange.add(ip("10.0.0.7", 24))))));
        DeviceState s = device.state();
        assertEquals(List.of(ip("10.1.0.0", 16)), s.peers().get(0).allowedIps());
        assertEquals(List.of(ip("10.0.0.0", 24)), s.peers().get(1).allowedIps(), "host bits are masked");
    }

    @Test
    void replaceAllowedIpsAndRemovingOnePrefix() throws Exception {
        byte[] a = publicKey();
        byte[] b = publicKey();
        device.configure(peers(PeerUpdate.set(a, null, null, 0, List.of(ip("10.0.0.0", 24), ip("10.1.0.0", 16))),
                PeerUpdate.set(b, null, null, 0, List.of(ip("10.2.0.0", 16)))));
        device.configure(peers(change(a, false, AllowedIpChange.remove(ip("10.0.0.0", 24)), AllowedIpChange.remove(ip("10.2.0.0", 16)))));
        DeviceState s = device.state();
        assertEquals(List.of(ip("10.1.0.0", 16)), s.peers().get(0).allowedIps());
        assertEquals(List.of(ip("10.2.0.0", 16)), s.peers().get(1).allowedIps(), "removal only takes the peer's own prefix");
        device.configure(peers(change(a, true, AllowedIpChange.add(ip("10.3.0.0", 16)))));
        assertEquals(List.of(ip("10.3.0.0", 16)), device.state().peers().get(0).allowedIps());
    }

    @Test
    void updateOnlyRemoveAndReplacePeers() throws Exception {
        byte[] a = publicKey();
        byte[] b = publicKey();
        byte[] c = publicKey();
        device.configure(peers(new PeerUpdate(a, false, true, Optional.empty(), Optional.empty(), OptionalInt.empty(), false, List.of())));
        assertTrue(device.state().peers().isEmpty(), "update_only never creates a peer");
        device.configure(peers(PeerUpdate.set(a, null, null, 0, List.of(ip("10.0.0.0", 8))), PeerUpdate.set(b, null, null, 0, List.of())));
        device.configure(peers(new PeerUpdate(a, true, false, Optional.empty(), Optional.empty(), OptionalInt.empty(), false, List.of())));
        assertEquals(1, device.state().peers().size());
        assertArrayEquals(b, device.state().peers().getFirst().publicKey());
        device.configure(new DeviceUpdate(Optional.empty(), OptionalInt.empty(), OptionalInt.empty(), true,
                List.of(PeerUpdate.set(c, null, null, 0, List.of()))));
        assertEquals(1, device.state().peers().size());
        assertArrayEquals(c, device.state().peers().getFirst().publicKey());
    }

    @Test
    void aPeerWithTheInterfacesOwnKeyIsIgnoredOrRemovedWhenTheKeyChanges() throws Exception {
        byte[] key = X25519.generatePrivateKey();
        byte[] own = X25519.publicKey(key);
        device.configure(peers(PeerUpdate.set(own, null, null, 0, List.of())));
        assertEquals(1, device.state().peers().size(), "without a private key it is an ordinary peer");
        device.configure(new DeviceUpdate(Optional.of(key), OptionalInt.empty(), OptionalInt.empty(), false, List.of()));
        assertTrue(device.state().peers().isEmpty(), "the new key's own public key is removed (wireguard-go SetPrivateKey)");
        device.configure(peers(PeerUpdate.set(own, null, null, 0, List.of())));
        assertTrue(device.state().peers().isEmpty(), "and not added again");
    }

    @Test
    void aPrivateKeyIsKeptClampedAsTheKernelKeepsIt() throws Exception {
        byte[] clamped = X25519.generatePrivateKey();
        byte[] raw = clamped.clone();
        raw[0] |= 7;
        raw[31] = (byte) ((raw[31] | 0x80) & ~0x40);
        device.configure(new DeviceUpdate(Optional.of(raw.clone()), OptionalInt.empty(), OptionalInt.empty(), false, List.of()));
        assertArrayEquals(clamped, device.state().privateKey().orElseThrow(), "wg show shows the key X25519 uses");
    }

    @Test
    void anAllZeroPrivateKeyMeansNone() throws Exception {
        device.configure(new DeviceUpdate(Optional.of(X25519.generatePrivateKey()), OptionalInt.empty(), OptionalInt.empty(), false, List.of()));
        assertTrue(device.state().privateKey().isPresent());
        device.configure(new DeviceUpdate(Optional.of(new byte[32]), OptionalInt.empty(), OptionalInt.empty(), false, List.of()));
        assertTrue(device.state().privateKey().isEmpty());
    }

    @Test
    void thePrivateKeyIsKeptClampedAsWireguardGoAndTheKernelReportIt() throws Exception {
        byte[] key = new byte[32];
        Arrays.fill(key, (byte) 0xff);
        device.configure(new DeviceUpdate(Optional.of(key.clone()), OptionalInt.empty(), OptionalInt.empty(), false, List.of()));
        byte[] clamped = key.clone();
        clamped[0] = (byte) 0xf8;
        clamped[31] = 0x7f;
        assertArrayEquals(clamped, device.state().privateKey().orElseThrow());
    }

    @Test
    void theListenPortRebindsLive() throws Exception {
        int port = freePort();
        device.configure(new DeviceUpdate(Optional.empty(), OptionalInt.of(port), OptionalInt.empty(), false, List.of()));
        assertEquals(port, device.state().listenPort());
        assertTrue(ns.exec("ss", "-uanH").contains(":" + port + " "));
        int before = port;
        device.configure(new DeviceUpdate(Optional.empty(), OptionalInt.of(0), OptionalInt.empty(), false, List.of()));
        assertNotEquals(before, device.state().listenPort(), "port 0: a new random port");
        assertFalse(ns.exec("ss", "-uanH").contains(":" + before + " "), "the old socket is closed");
    }

    @Test
    void aSetThatCannotBindChangesNothing() throws Exception {
        byte[] a = publicKey();
        device.configure(peers(PeerUpdate.set(a, null, null, 0, List.of(ip("10.0.0.0", 24)))));
        DeviceState before = device.state();
        try (DatagramSocket taken = ns.call(() -> new DatagramSocket(new InetSocketAddress(InetAddress.getByName("0.0.0.0"), 0)))) {
            DeviceUpdate update = new DeviceUpdate(Optional.of(X25519.generatePrivateKey()), OptionalInt.of(taken.getLocalPort()),
                    OptionalInt.of(5), true, List.of(PeerUpdate.set(publicKey(), null, null, 0, List.of(ip("10.0.0.0", 24)))));
            assertThrows(SocketSetupException.class, () -> device.configure(update));
        }
        DeviceState after = device.state();
        assertTrue(after.privateKey().isEmpty());
        assertEquals(before.listenPort(), after.listenPort());
        assertEquals(0, after.fwmark());
        assertEquals(1, after.peers().size());
        assertArrayEquals(a, after.peers().getFirst().publicKey());
        assertEquals(List.of(ip("10.0.0.0", 24)), after.peers().getFirst().allowedIps());
    }

    @Test
    void fwmarkIsSetOnTheSocketAndZeroRemovesIt() throws Exception {
        device.configure(new DeviceUpdate(Optional.empty(), OptionalInt.empty(), OptionalInt.of(0x20), false, List.of()));
        assertEquals(0x20, device.state().fwmark());
        assertTrue(socketLine().contains("fwmark:0x20"), socketLine());
        int port = freePort();
        device.configure(new DeviceUpdate(Optional.empty(), OptionalInt.of(port), OptionalInt.empty(), false, List.of()));
        assertTrue(socketLine().contains("fwmark:0x20"), "a rebound socket keeps the mark: " + socketLine());
        device.configure(new DeviceUpdate(Optional.empty(), OptionalInt.empty(), OptionalInt.of(0), false, List.of()));
        assertEquals(0, device.state().fwmark());
        assertFalse(socketLine().contains("fwmark"), socketLine());
    }

    @Test
    void turningPersistentKeepaliveOnSendsAtOnce() throws Exception {
        ns.ip("link", "set", name, "up");
        try (DatagramChannel peer = loopbackPeer()) {
            configureKeepalivePeer(peer);
            ByteBuffer b = receive(peer, 3_000);
            assertEquals(148, b.remaining(), "a handshake initiation, as there is no session yet");
            assertEquals(1, b.get(0));
            assertEquals(148, device.state().peers().getFirst().txBytes());
        }
    }

    /** The socket is dual-stack: an IPv4-mapped endpoint is kept as given and reaches the IPv4 address. */
    @Test
    void anIpv4MappedEndpointIsKeptAndSentTo() throws Exception {
        ns.ip("link", "set", name, "up");
        try (DatagramChannel peer = ns.call(() -> DatagramChannel.open().bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0)))) {
            byte[] mapped = new byte[16];
            mapped[10] = mapped[11] = (byte) 0xff;
            mapped[12] = 127;
            mapped[15] = 1;
            InetSocketAddress at = new InetSocketAddress(Inet6Address.getByAddress(null, mapped, (NetworkInterface) null),
                    ((InetSocketAddress) peer.getLocalAddress()).getPort());
            device.configure(new DeviceUpdate(Optional.of(X25519.generatePrivateKey()), OptionalInt.empty(), OptionalInt.empty(), false,
                    List.of(PeerUpdate.set(publicKey(), null, at, 25, List.of()))));
            assertEquals(Optional.of(at), device.state().peers().getFirst().endpoint());
            peer.configureBlocking(false);
            assertEquals(148, receive(peer, 3_000).remaining(), "the handshake initiation arrived at 127.0.0.1");
        }
    }

    /** The kernel neither sends nor runs timers while the interface is down; wg_open sends the persistent keepalives. */
    @Test
    void aDownInterfaceSendsNothingUntilItComesUp() throws Exception {
        try (DatagramChannel peer = loopbackPeer()) {
            configureKeepalivePeer(peer);
            assertEquals(0, receive(peer, 1_000).remaining(), "nothing while down");
            ns.ip("link", "set", name, "up");
            ByteBuffer b = receive(peer, 3_000);
            assertEquals(148, b.remaining(), "the initiation once up");
            assertEquals(1, b.get(0));
        }
    }

    private DatagramChannel loopbackPeer() throws Exception {
        DatagramChannel peer = ns.call(() -> DatagramChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)));
        peer.configureBlocking(false);
        return peer;
    }

    private void configureKeepalivePeer(DatagramChannel peer) throws Exception {
        device.configure(new DeviceUpdate(Optional.of(X25519.generatePrivateKey()), OptionalInt.empty(), OptionalInt.empty(), false,
                List.of(PeerUpdate.set(publicKey(), null, (InetSocketAddress) peer.getLocalAddress(), 25, List.of()))));
    }

    /** The first datagram to arrive within millis (flipped), or an empty buffer. */
    private static ByteBuffer receive(DatagramChannel peer, long millis) throws Exception {
        ByteBuffer b = ByteBuffer.allocate(2048);
        long deadline = System.nanoTime() + millis * 1_000_000L;
        while (peer.receive(b) == null && System.nanoTime() < deadline) Thread.sleep(10);
        return b.flip();
    }

    private String socketLine() throws Exception {
        return ns.exec("ss", "-uaneH", "sport", "=", ":" + device.listenPort()).strip();
    }

    private int freePort() throws Exception {
        return ns.call(() -> {
            try (DatagramSocket s = new DatagramSocket(0)) {
                return s.getLocalPort();
            } catch (SocketException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private static DeviceUpdate peers(PeerUpdate... peers) {
        return new DeviceUpdate(Optional.empty(), OptionalInt.empty(), OptionalInt.empty(), false, List.of(peers));
    }

    private static PeerUpdate change(byte[] key, boolean replace, AllowedIpChange... changes) {
        return new PeerUpdate(key, false, false, Optional.empty(), Optional.empty(), OptionalInt.empty(), replace, List.of(changes));
    }

    private static byte[] publicKey() {
        return X25519.publicKey(X25519.generatePrivateKey());
    }

    private static IpPrefix ip(String address, int bits) throws Exception {
        return new IpPrefix(InetAddress.getByName(address).getAddress(), bits);
    }
}
