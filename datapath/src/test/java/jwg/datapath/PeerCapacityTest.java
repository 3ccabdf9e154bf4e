package jwg.datapath;

import jwg.net.IpPrefix;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import jwg.crypto.X25519;
import jwg.testing.Packets;
import org.junit.jupiter.api.Test;

/**
 * A configuration beyond the heap's ceiling is refused whole, with one line, and the device goes on
 * as before; within it, it is applied. Devices back to back in memory, each holding ten peers of
 * one allowed IP (b is already a's first).
 */
class PeerCapacityTest {
    private static final int PER_PEER = Limits.PEER_HEAP_BYTES + Limits.ALLOWED_IP_HEAP_BYTES;
    private static final PeerCapacity TEN = new PeerCapacity(Limits.HEAP_RESERVE + 10L * PER_PEER);

    private static List<PeerUpdate> newPeers(int n, int firstHost) {
        List<PeerUpdate> peers = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            byte[] ip = {10, 1, (byte) ((firstHost + i) >> 8), (byte) (firstHost + i)};
            peers.add(PeerUpdate.set(X25519.publicKey(X25519.generatePrivateKey()), null, null, 0, List.of(new IpPrefix(ip, 32))));
        }
        return peers;
    }

    private static DeviceUpdate adding(List<PeerUpdate> peers, boolean replace) {
        return new DeviceUpdate(Optional.empty(), OptionalInt.empty(), OptionalInt.empty(), replace, peers);
    }

    private static int peers(BackToBack.Node n) throws Exception {
        return n.configuration.state().peers().size();
    }

    @Test
    void theCeilingOfThisJvmsHeapAndOfAGivenOne() {
        assertEquals((256L << 20) - Limits.HEAP_RESERVE, new PeerCapacity(256L << 20).budget());
        assertTrue(new PeerCapacity(256L << 20).peers() >= 100_000, "the shipped -Xmx256m holds the 100,000 peers issue 11 asks for");
        assertEquals(0, new PeerCapacity(Limits.HEAP_RESERVE / 2).budget());
        assertEquals(10, TEN.peers());
        assertTrue(TEN.fits(10, 10));
        assertFalse(TEN.fits(11, 11));
        assertFalse(TEN.fits(10, 10 + PER_PEER / Limits.ALLOWED_IP_HEAP_BYTES), "allowed IPs count too");
    }

    @Test
    void whatFitsIsAppliedAndOneMoreIsRefusedWholeWithOneLine() throws Exception {
        try (BackToBack w = new BackToBack(TEN)) {
            w.a.configuration.configure(adding(newPeers(9, 100), false));
            assertEquals(10, peers(w.a));

            CapacityException e = assertThrows(CapacityException.class,
                    () -> w.a.configuration.configure(adding(newPeers(3, 200), false)));
            assertEquals(10, peers(w.a), "nothing of the refused update was applied");
            assertEquals(10, w.a.core.allowedIps.size());
            assertFalse(e.getMessage().contains("\n"));
            assertTrue(e.getMessage().startsWith("13 peers with 13 allowed IPs need about "), e.getMessage());
            assertTrue(e.getMessage().contains("it holds about 10 peers"), e.getMessage());
            String key = HexFormat.of().formatHex(w.a.privateKey);
            assertFalse(e.getMessage().toLowerCase().contains(key.substring(0, 16)));

            byte[] ping = Packets.icmpEcho(w.a.ip, w.b.ip, 1, 1, new byte[56]);
            w.a.send(ping);
            w.pump();
            assertArrayEquals(ping, w.b.delivered.getFirst(), "the tunnel goes on");
        }
    }

    @Test
    void peersReplacedOrChangedOrRemovedAreNotCountedTwice() throws Exception {
        try (BackToBack w = new BackToBack(TEN)) {
            List<PeerUpdate> nine = newPeers(9, 100);
            w.a.configuration.configure(adding(nine, false));
            w.a.configuration.configure(adding(nine, false)); // the same peers again: changes, not additions
            assertEquals(10, peers(w.a));
            List<PeerUpdate> swap = new ArrayList<>();
            for (PeerUpdate p : nine.subList(0, 3)) swap.add(new PeerUpdate(p.publicKey(), true, false, Optional.empty(),
                    Optional.empty(), OptionalInt.empty(), false, List.of()));
            swap.addAll(newPeers(3, 150));
            w.a.configuration.configure(adding(swap, false)); // three removed, three added
            assertEquals(10, peers(w.a));
            w.a.configuration.configure(adding(newPeers(10, 300), true)); // replaces all ten
            assertEquals(10, peers(w.a));
            assertEquals(10, w.a.core.allowedIps.size());
            assertThrows(CapacityException.class, () -> w.a.configuration.configure(adding(newPeers(11, 400), true)));
            assertEquals(10, peers(w.a));
        }
    }

    @Test
    void manyAllowedIpsOnOnePeerCountAgainstTheCeiling() throws Exception {
        try (BackToBack w = new BackToBack(TEN)) {
            List<AllowedIpChange> ips = new ArrayList<>();
            int fit = 9 * PER_PEER / Limits.ALLOWED_IP_HEAP_BYTES; // room left beside b, in allowed IPs
            for (int i = 0; i <= fit; i++) ips.add(AllowedIpChange.add(new IpPrefix(new byte[] {10, 2, (byte) (i >> 8), (byte) i}, 32)));
            PeerUpdate many = new PeerUpdate(X25519.publicKey(X25519.generatePrivateKey()), false, false, Optional.empty(),
                    Optional.empty(), OptionalInt.empty(), false, ips);
            assertThrows(CapacityException.class, () -> w.a.configuration.configure(adding(List.of(many), false)));
            assertEquals(1, peers(w.a));
            assertEquals(1, w.a.core.allowedIps.size());
        }
    }
}
