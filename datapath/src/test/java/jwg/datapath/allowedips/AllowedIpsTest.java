package jwg.datapath.allowedips;

import jwg.net.IpPrefix;
import static org.junit.jupiter.api.Assertions.*;

import java.math.BigInteger;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AllowedIpsTest {
    private static byte[] ip(String s) throws Exception { return InetAddress.getByName(s).getAddress(); }

    private static String lookup(AllowedIps<String> t, String addr) throws Exception {
        return t.lookup(InetAddress.getByName(addr));
    }

    @Test
    void longestPrefixWins() throws Exception {
        AllowedIps<String> t = new AllowedIps<>();
        t.insert(ip("0.0.0.0"), 0, "default");
        t.insert(ip("10.0.0.0"), 8, "a");
        t.insert(ip("10.1.0.0"), 16, "b");
        t.insert(ip("10.1.2.3"), 32, "c");
        assertEquals("c", lookup(t, "10.1.2.3"));
        assertEquals("b", lookup(t, "10.1.2.4"));
        assertEquals("a", lookup(t, "10.2.0.1"));
        assertEquals("default", lookup(t, "192.168.1.1"));
        assertNull(lookup(t, "::1"), "IPv4 entries must not answer IPv6 lookups");
    }

    @Test
    void hostBitsAreMaskedAndReinsertMovesOwnership() throws Exception {
        AllowedIps<String> t = new AllowedIps<>();
        t.insert(ip("10.0.0.77"), 24, "a");
        assertEquals(List.of(new IpPrefix(ip("10.0.0.0"), 24)), t.prefixesOf("a"));
        t.insert(ip("10.0.0.0"), 24, "b");
        assertTrue(t.prefixesOf("a").isEmpty());
        assertEquals("b", lookup(t, "10.0.0.5"));
    }

    @Test
    void ipv6() throws Exception {
        AllowedIps<String> t = new AllowedIps<>();
        t.insert(ip("::"), 0, "default6");
        t.insert(ip("fd00::"), 8, "ula");
        t.insert(ip("fd00:1:2:3::"), 64, "net");
        t.insert(ip("fd00:1:2:3::9"), 128, "host");
        assertEquals("host", lookup(t, "fd00:1:2:3::9"));
        assertEquals("net", lookup(t, "fd00:1:2:3::a"));
        assertEquals("ula", lookup(t, "fd99::1"));
        assertEquals("default6", lookup(t, "2001:db8::1"));
        assertNull(lookup(t, "10.0.0.1"));
    }

    @Test
    void removeOnlyByOwnerAndRemovePeer() throws Exception {
        AllowedIps<String> t = new AllowedIps<>();
        t.insert(ip("10.0.0.0"), 8, "a");
        t.insert(ip("10.1.0.0"), 16, "b");
        t.insert(ip("fd00::"), 16, "b");
        assertFalse(t.remove(ip("10.0.0.0"), 8, "b"), "only the owner removes a prefix");
        assertTrue(t.remove(ip("10.0.0.0"), 8, "a"));
        assertNull(lookup(t, "10.2.0.1"));
        assertEquals("b", lookup(t, "10.1.0.1"));
        t.removePeer("b");
        assertNull(lookup(t, "10.1.0.1"));
        assertNull(lookup(t, "fd00::1"));
    }

    @Test
    void sizeCountsEachPrefixOnceWhoeverOwnsIt() throws Exception {
        AllowedIps<String> t = new AllowedIps<>();
        t.insert(ip("10.0.0.0"), 8, "a");
        t.insert(ip("10.0.0.9"), 8, "a"); // the same prefix, host bits aside
        t.insert(ip("10.1.0.0"), 16, "b");
        t.insert(ip("fd00::"), 16, "b");
        assertEquals(3, t.size());
        t.insert(ip("10.1.0.0"), 16, "a"); // moved, not added
        assertEquals(3, t.size());
        assertEquals(2, t.countOf("a"));
        assertEquals(1, t.countOf("b"));
        assertEquals(0, t.countOf("c"));
        assertFalse(t.remove(ip("10.1.0.0"), 16, "b"));
        assertEquals(3, t.size());
        assertTrue(t.remove(ip("10.0.0.0"), 8, "a"));
        assertEquals(2, t.size());
        t.removePeer("a");
        assertEquals(1, t.size());
        t.clear();
        assertEquals(0, t.size());
    }

    private static IpPrefix prefix(String address, int bits) throws Exception {
        return new IpPrefix(ip(address), bits);
    }

    /** As the kernel and wireguard-go list them: in the order given, not by family or address. */
    @Test
    void aPeersPrefixesAreListedInTheOrderTheyWereInserted() throws Exception {
        AllowedIps<String> t = new AllowedIps<>();
        t.insert(ip("::"), 0, "a");
        t.insert(ip("10.62.0.0"), 16, "a");
        t.insert(ip("fd00::"), 8, "b");
        t.insert(ip("10.1.0.0"), 16, "a");
        assertEquals(List.of(prefix("::", 0), prefix("10.62.0.0", 16), prefix("10.1.0.0", 16)), t.prefixesOf("a"));
        assertEquals(List.of(prefix("fd00::", 8)), t.prefixesOf("b"));
        assertEquals(List.of(), t.prefixesOf("c"));
    }

    /** The kernel's list_move_tail and wireguard-go's insert: a prefix given again goes to the end, same owner or not. */
    @Test
    void aPrefixInsertedAgainMovesToTheEndOfItsNewOwnersList() throws Exception {
        AllowedIps<String> t = new AllowedIps<>();
        t.insert(ip("10.1.0.0"), 16, "a");
        t.insert(ip("10.2.0.0"), 16, "a");
        t.insert(ip("10.3.0.0"), 16, "a");
        t.insert(ip("10.9.0.0"), 16, "b");
        t.insert(ip("10.1.0.9"), 16, "a");
        assertEquals(List.of(prefix("10.2.0.0", 16), prefix("10.3.0.0", 16), prefix("10.1.0.0", 16)), t.prefixesOf("a"));
        t.insert(ip("10.3.0.0"), 16, "b");
        assertEquals(List.of(prefix("10.2.0.0", 16), prefix("10.1.0.0", 16)), t.prefixesOf("a"));
        assertEquals(List.of(prefix("10.9.0.0", 16), prefix("10.3.0.0", 16)), t.prefixesOf("b"));
        assertEquals("b", lookup(t, "10.3.0.1"));
    }

    @Test
    void removalsKeepTheOrderOfTheRest() throws Exception {
        AllowedIps<String> t = new AllowedIps<>();
        for (String a : new String[] {"10.1.0.0", "10.2.0.0", "10.3.0.0"}) t.insert(ip(a), 16, "a");
        assertTrue(t.remove(ip("10.2.0.0"), 16, "a"));
        assertEquals(List.of(prefix("10.1.0.0", 16), prefix("10.3.0.0", 16)), t.prefixesOf("a"));
        t.removePeer("a");
        assertEquals(List.of(), t.prefixesOf("a"));
        assertNull(lookup(t, "10.1.0.1"));
        t.insert(ip("10.3.0.0"), 16, "a");
        assertEquals(List.of(prefix("10.3.0.0", 16)), t.prefixesOf("a"));
    }

    @Test
    void rejectsBadPrefixLengths() throws Exception {
        AllowedIps<String> t = new AllowedIps<>();
        assertThrows(IllegalArgumentException.class, () -> t.insert(ip("10.0.0.0"), 33, "a"));
        assertThrows(IllegalArgumentException.class, () -> t.insert(ip("::"), 129, "a"));
        assertThrows(IllegalArgumentException.class, () -> t.insert(new byte[5], 1, "a"));
    }

    /** Peers are compared by identity, as the datapath's Peer objects are. */
    private static final String[] OWNERS = {"p0", "p1", "p2", "p3", "p4", "p5"};

    /** Random prefixes, inserts and removals, checked against a linear scan and a list per owner in insertion order. */
    @Test
    void agreesWithLinearScan() throws Exception {
        Random r = new Random(7);
        for (int family : new int[] {4, 16}) {
            AllowedIps<String> t = new AllowedIps<>();
            List<Object[]> model = new ArrayList<>(); // {BigInteger masked, bits, owner}
            int width = family * 8;
            for (int step = 0; step < 3000; step++) {
                byte[] a = randomNear(r, family);
                int bits = r.nextInt(width + 1);
                String owner = OWNERS[r.nextInt(OWNERS.length)];
                BigInteger masked = mask(a, bits, width);
                if (r.nextInt(200) == 0) {
                    t.removePeer(owner);
                    model.removeIf(m -> m[2].equals(owner));
                } else if (r.nextInt(4) == 0) {
                    Object[] e = model.stream().filter(m -> m[0].equals(masked) && (int) m[1] == bits).findFirst().orElse(null);
                    boolean removed = t.remove(a, bits, owner);
                    assertEquals(e != null && e[2].equals(owner), removed);
                    if (removed) model.remove(e);
                } else {
                    t.insert(a, bits, owner);
                    model.removeIf(m -> m[0].equals(masked) && (int) m[1] == bits);
                    model.add(new Object[] {masked, bits, owner});
                }
                byte[] probe = randomNear(r, family);
                assertEquals(linear(model, probe, width), t.lookup(InetAddress.getByAddress(probe)), "step " + step);
                String listed = OWNERS[r.nextInt(OWNERS.length)];
                assertEquals(model.stream().filter(m -> m[2].equals(listed)).map(m -> m[0] + "/" + m[1]).toList(),
                        t.prefixesOf(listed).stream().map(p -> new BigInteger(1, p.address()) + "/" + p.length()).toList(),
                        "the prefixes of " + listed + " in insertion order, step " + step);
            }
            Set<String> listed = new HashSet<>();
            t.forEach((p, owner) -> listed.add(p + " " + owner));
            assertEquals(model.size(), listed.size());
        }
    }

    /** Addresses from a small neighbourhood so that prefixes overlap often. */
    private static byte[] randomNear(Random r, int len) {
        byte[] a = new byte[len];
        a[0] = 10;
        for (int i = 1; i < len; i++) a[i] = (byte) (r.nextInt(4) == 0 ? r.nextInt(256) : r.nextInt(3));
        return a;
    }

    private static BigInteger mask(byte[] a, int bits, int width) {
        BigInteger v = new BigInteger(1, a);
        BigInteger m = BigInteger.ONE.shiftLeft(width).subtract(BigInteger.ONE).shiftRight(bits).not();
        return v.and(m).and(BigInteger.ONE.shiftLeft(width).subtract(BigInteger.ONE));
    }

    private static String linear(List<Object[]> model, byte[] probe, int width) {
        String best = null;
        int bestBits = -1;
        for (Object[] m : model) {
            int bits = (int) m[1];
            if (bits > bestBits && mask(probe, bits, width).equals(m[0])) {
                best = (String) m[2];
                bestBits = bits;
            }
        }
        return best;
    }
}
