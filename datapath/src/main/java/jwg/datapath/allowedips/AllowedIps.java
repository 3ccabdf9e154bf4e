package jwg.datapath.allowedips;

import jwg.net.IpPrefix;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiConsumer;

/**
 * The cryptokey routing table (whitepaper 2, "Cryptokey Routing"): IPv4 and IPv6 prefixes, each
 * owned by one peer, looked up by longest-prefix match. Outbound, the destination address chooses
 * the peer; inbound, a decrypted packet is accepted only if its source address maps back to the
 * peer it came from.
 *
 * <p>Each family is a path-compressed binary trie. The trie is persistent: a change copies the
 * path it touches and replaces the root, allocating only when the configuration changes. Lookups
 * allocate nothing.
 *
 * <p>Not thread-safe: confined to the thread that owns the peers (the device's event loop), which
 * routes every packet and applies every configuration change. (Because the trie is persistent,
 * lookups from several threads, as a device with several loops would make, would need no more
 * than the two roots published through volatile fields by the one thread that changes them.)
 *
 * <p>Beside the trie, each peer's prefixes are kept in the order they were given to it, as the
 * kernel's per-peer allowedips_list and wireguard-go's trieEntries are: `get` lists them in that
 * order, and listing or removing a peer's prefixes costs only as many steps as it has.
 */
public final class AllowedIps<P> {
    private Node<P> root4;
    private Node<P> root6;
    /** Each owner's prefixes, oldest first; peers are compared by identity. */
    private final Map<P, LinkedHashSet<IpPrefix>> byPeer = new IdentityHashMap<>();
    /** How many prefixes the table holds (the sum of byPeer's sets). */
    private int size;

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

    /**
     * Inserts address/bits (host bits are ignored, as the kernel masks them) for peer, replacing any
     * owner. It goes to the end of peer's prefixes, also when peer had it already (the kernel's
     * list_move_tail, wireguard-go's removeFromPeerEntries and addToPeerEntries).
     */
    public void insert(byte[] address, int bits, P peer) {
        Objects.requireNonNull(peer, "peer");
        Key key = Key.of(address, bits);
        boolean v4 = address.length == 4;
        Node<P> exact = find(v4 ? root4 : root6, key);
        IpPrefix prefix = key.prefix(address.length);
        if (exact != null && exact.peer != null) forget(exact.peer, prefix);
        if (byPeer.computeIfAbsent(peer, p -> new LinkedHashSet<>()).add(prefix)) size++;
        if (v4) root4 = insert(root4, key, peer);
        else root6 = insert(root6, key, peer);
    }

    /** Removes address/bits if peer owns it; true if something was removed. */
    public boolean remove(byte[] address, int bits, P peer) {
        Key key = Key.of(address, bits);
        Node<P> exact = find(address.length == 4 ? root4 : root6, key);
        if (exact == null || exact.peer != peer) return false;
        forget(peer, key.prefix(address.length));
        removeFromTrie(key, address.length);
        return true;
    }

    /** Removes every prefix of peer. */
    public void removePeer(P peer) {
        LinkedHashSet<IpPrefix> prefixes = byPeer.remove(peer);
        if (prefixes == null) return;
        size -= prefixes.size();
        for (IpPrefix p : prefixes) removeFromTrie(Key.of(p.address(), p.length()), p.isIpv4() ? 4 : 16);
    }

    /** Removes everything. */
    public void clear() {
        root4 = null;
        root6 = null;
        byPeer.clear();
        size = 0;
    }

    /** How many prefixes the table holds. */
    public int size() {
        return size;
    }

    /** How many prefixes peer owns. */
    public int countOf(P peer) {
        LinkedHashSet<IpPrefix> prefixes = byPeer.get(peer);
        return prefixes == null ? 0 : prefixes.size();
    }

    /** The prefixes owned by peer, in the order they were inserted for it. */
    public List<IpPrefix> prefixesOf(P peer) {
        LinkedHashSet<IpPrefix> prefixes = byPeer.get(peer);
        return prefixes == null ? List.of() : List.copyOf(prefixes);
    }

    /** Visits every (prefix, peer), IPv4 first, in ascending address order. */
    public void forEach(BiConsumer<IpPrefix, P> visitor) {
        walk(root4, 4, visitor);
        walk(root6, 16, visitor);
    }

    /** Drops prefix from owner's list (and the list once empty). */
    private void forget(P owner, IpPrefix prefix) {
        LinkedHashSet<IpPrefix> prefixes = byPeer.get(owner);
        if (prefixes.remove(prefix)) size--;
        if (prefixes.isEmpty()) byPeer.remove(owner);
    }

    /** Removes key, which the trie of its family holds with an owner. */
    private void removeFromTrie(Key key, int addressLen) {
        if (addressLen == 4) root4 = remove(root4, key);
        else root6 = remove(root6, key);
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

        /** The key as a prefix of an address of addressLen bytes. */
        IpPrefix prefix(int addressLen) {
            return new IpPrefix(address(hi, lo, addressLen), bits);
        }
    }

    /** The first addressLen bytes of the 128-bit value (hi, lo). */
    private static byte[] address(long hi, long lo, int addressLen) {
        byte[] a = new byte[addressLen];
        ByteBuffer.allocate(16).putLong(hi).putLong(lo).get(0, a);
        return a;
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

    private static <P> void walk(Node<P> n, int addressLen, BiConsumer<IpPrefix, P> visitor) {
        if (n == null) return;
        if (n.peer != null) visitor.accept(new IpPrefix(address(n.hi, n.lo, addressLen), n.bits), n.peer);
        walk(n.zero, addressLen, visitor);
        walk(n.one, addressLen, visitor);
    }
}
