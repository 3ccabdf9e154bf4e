package jwg.datapath.allowedips;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.BiConsumer;

/**
 * The cryptokey routing table (whitepaper 2, "Cryptokey Routing"): IPv4 and IPv6 prefixes, each
 * owned by one peer, looked up by longest-prefix match. Outbound, the destination address chooses
 * the peer; inbound, a decrypted packet is accepted only if its source address maps back to the
 * peer it came from.
 *
 * <p>Each family is a path-compressed binary trie. The trie is persistent: a change copies the
 * path it touches and publishes a new root, so lookups from any number of datapath threads read a
 * consistent snapshot without locks, and changes (from the configuration or UAPI thread) are
 * serialized by this object's monitor. Lookups allocate nothing.
 */
public final class AllowedIps<P> {
    private volatile Node<P> root4;
    private volatile Node<P> root6;

    /** The peer owning the longest prefix containing the IPv4 address, or null. */
    public P lookup4(int address) {
        return lookup(root4, (long) address << 32, 0L);
    }

    /** The peer owning the longest prefix containing the IPv6 address (hi, lo halves), or null. */
    public P lookup6(long hi, long lo) {
        return lookup(root6, hi, lo);
    }

    /**
     * Longest-prefix match of the address at offset in an IP packet's buffer: 4 bytes if
     * ipv4, else 16, in network order (absolute indexing; position and limit are not used).
     */
    public P lookup(ByteBuffer packet, int offset, boolean ipv4) {
        if (ipv4) return lookup4(packet.getInt(offset));
        return lookup6(packet.getLong(offset), packet.getLong(offset + 8));
    }

    /** Longest-prefix match of an address (4 or 16 bytes). */
    public P lookup(InetAddress address) {
        byte[] a = address.getAddress();
        ByteBuffer b = ByteBuffer.wrap(a);
        return lookup(b, 0, address instanceof Inet4Address);
    }

    /** Inserts address/bits (host bits are ignored, as the kernel masks them) for peer, replacing any owner. */
    public synchronized void insert(byte[] address, int bits, P peer) {
        Objects.requireNonNull(peer, "peer");
        Key key = Key.of(address, bits);
        if (address.length == 4) root4 = insert(root4, key, peer);
        else root6 = insert(root6, key, peer);
    }

    /** Removes address/bits if peer owns it; true if something was removed. */
    public synchronized boolean remove(byte[] address, int bits, P peer) {
        Key key = Key.of(address, bits);
        Node<P> root = address.length == 4 ? root4 : root6;
        Node<P> exact = find(root, key);
        if (exact == null || exact.peer != peer) return false;
        Node<P> updated = remove(root, key);
        if (address.length == 4) root4 = updated;
        else root6 = updated;
        return true;
    }

    /** Removes every prefix of peer. */
    public synchronized void removePeer(P peer) {
        root4 = rebuildWithout(root4, peer, 4);
        root6 = rebuildWithout(root6, peer, 16);
    }

    /** Removes everything. */
    public synchronized void clear() {
        root4 = null;
        root6 = null;
    }

    /** The prefixes owned by peer, IPv4 first, each in ascending address order. */
    public List<Prefix> prefixesOf(P peer) {
        List<Prefix> out = new ArrayList<>();
        forEach((prefix, owner) -> {
            if (owner == peer) out.add(prefix);
        });
        return out;
    }

    /** Visits every (prefix, peer), IPv4 first, in ascending address order. */
    public void forEach(BiConsumer<Prefix, P> visitor) {
        walk(root4, 4, visitor);
        walk(root6, 16, visitor);
    }

    /** A prefix as stored: the address with host bits cleared, and its length. */
    public record Prefix(byte[] address, int bits) {
        @Override public boolean equals(Object o) {
            return o instanceof Prefix p && p.bits == bits && java.util.Arrays.equals(p.address, address);
        }
        @Override public int hashCode() { return java.util.Arrays.hashCode(address) * 31 + bits; }
        @Override public String toString() {
            try {
                return InetAddress.getByAddress(address).getHostAddress() + "/" + bits;
            } catch (java.net.UnknownHostException e) {
                throw new AssertionError(e);
            }
        }
    }

    // ---- the trie ----

    /** An immutable node: a prefix (hi, lo, bits), an optional owner, and children by the bit after the prefix. */
    private record Node<P>(long hi, long lo, int bits, P peer, Node<P> zero, Node<P> one) {
        Node<P> withChildren(Node<P> z, Node<P> o) { return new Node<>(hi, lo, bits, peer, z, o); }
        Node<P> withPeer(P p) { return new Node<>(hi, lo, bits, p, zero, one); }
        Node<P> child(int bit) { return bit == 0 ? zero : one; }
        Node<P> withChild(int bit, Node<P> c) { return bit == 0 ? withChildren(c, one) : withChildren(zero, c); }
    }

    /** A 128-bit key (IPv4 in the top 32 bits of hi) masked to bits. */
    private record Key(long hi, long lo, int bits) {
        static Key of(byte[] address, int bits) {
            int max = address.length * 8;
            if (address.length != 4 && address.length != 16) throw new IllegalArgumentException("address must be 4 or 16 bytes");
            if (bits < 0 || bits > max) throw new IllegalArgumentException("prefix length " + bits + " out of range 0.." + max);
            ByteBuffer b = ByteBuffer.wrap(address);
            long hi = address.length == 4 ? (long) b.getInt(0) << 32 : b.getLong(0);
            long lo = address.length == 4 ? 0L : b.getLong(8);
            return new Key(maskHi(hi, bits), maskLo(lo, bits), bits);
        }
    }

    private static long maskHi(long hi, int bits) {
        return bits >= 64 ? hi : bits == 0 ? 0L : hi & (-1L << (64 - bits));
    }

    private static long maskLo(long lo, int bits) {
        return bits <= 64 ? 0L : bits >= 128 ? lo : lo & (-1L << (128 - bits));
    }

    /** Bit i (0 = most significant of hi) of the 128-bit value. */
    private static int bit(long hi, long lo, int i) {
        return i < 64 ? (int) (hi >>> (63 - i)) & 1 : (int) (lo >>> (127 - i)) & 1;
    }

    /** Does the node's prefix contain (hi, lo)? */
    private static boolean matches(Node<?> n, long hi, long lo) {
        return maskHi(hi, n.bits) == n.hi && maskLo(lo, n.bits) == n.lo;
    }

    /** Number of leading bits on which a and b agree, at most limit. */
    private static int commonBits(long aHi, long aLo, long bHi, long bLo, int limit) {
        int c = aHi != bHi ? Long.numberOfLeadingZeros(aHi ^ bHi) : 64 + (aLo != bLo ? Long.numberOfLeadingZeros(aLo ^ bLo) : 64);
        return Math.min(c, limit);
    }

    private static <P> P lookup(Node<P> n, long hi, long lo) {
        P best = null;
        while (n != null && matches(n, hi, lo)) {
            if (n.peer != null) best = n.peer;
            if (n.bits == 128) break;
            n = n.child(bit(hi, lo, n.bits));
        }
        return best;
    }

    private static <P> Node<P> find(Node<P> n, Key k) {
        while (n != null && n.bits <= k.bits && matches(n, k.hi, k.lo)) {
            if (n.bits == k.bits) return n;
            n = n.child(bit(k.hi, k.lo, n.bits));
        }
        return null;
    }

    private static <P> Node<P> insert(Node<P> n, Key k, P peer) {
        if (n == null) return new Node<>(k.hi, k.lo, k.bits, peer, null, null);
        int common = commonBits(n.hi, n.lo, k.hi, k.lo, Math.min(n.bits, k.bits));
        if (common == n.bits && common == k.bits) return n.withPeer(peer);
        if (common == n.bits) { // k lies below n
            int b = bit(k.hi, k.lo, n.bits);
            return n.withChild(b, insert(n.child(b), k, peer));
        }
        if (common == k.bits) { // n lies below the new node
            Node<P> fresh = new Node<>(k.hi, k.lo, k.bits, peer, null, null);
            return fresh.withChild(bit(n.hi, n.lo, k.bits), n);
        }
        // They diverge at bit `common`: a new branch node without an owner.
        Node<P> leaf = new Node<>(k.hi, k.lo, k.bits, peer, null, null);
        Node<P> branch = new Node<>(maskHi(k.hi, common), maskLo(k.lo, common), common, null, null, null);
        return bit(k.hi, k.lo, common) == 0 ? branch.withChildren(leaf, n) : branch.withChildren(n, leaf);
    }

    private static <P> Node<P> remove(Node<P> n, Key k) {
        if (n == null) return null;
        if (n.bits == k.bits) return compact(n.withPeer(null));
        int b = bit(k.hi, k.lo, n.bits);
        return compact(n.withChild(b, remove(n.child(b), k)));
    }

    /** Drops an ownerless node with fewer than two children. */
    private static <P> Node<P> compact(Node<P> n) {
        if (n.peer != null) return n;
        if (n.zero == null) return n.one;
        if (n.one == null) return n.zero;
        return n;
    }

    private static <P> Node<P> rebuildWithout(Node<P> n, P peer, int addressLen) {
        if (n == null) return null;
        Node<P> z = rebuildWithout(n.zero, peer, addressLen);
        Node<P> o = rebuildWithout(n.one, peer, addressLen);
        P p = n.peer == peer ? null : n.peer;
        if (z == n.zero && o == n.one && p == n.peer) return n;
        return compact(new Node<>(n.hi, n.lo, n.bits, p, z, o));
    }

    private static <P> void walk(Node<P> n, int addressLen, BiConsumer<Prefix, P> visitor) {
        if (n == null) return;
        if (n.peer != null) {
            ByteBuffer b = ByteBuffer.allocate(16).putLong(n.hi).putLong(n.lo);
            byte[] a = new byte[addressLen];
            b.get(0, a);
            visitor.accept(new Prefix(a, n.bits), n.peer);
        }
        walk(n.zero, addressLen, visitor);
        walk(n.one, addressLen, visitor);
    }
}
