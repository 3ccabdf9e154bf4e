package jwg.datapath.udp;

import java.net.InetSocketAddress;

/**
 * Which of our own addresses to answer each remote endpoint from: the local address its latest
 * datagram was sent to (IP_PKTINFO / IPV6_PKTINFO on receive), given back as the source of what
 * we send it (the same cmsg on send). Kernel WireGuard answers from the address the peer wrote
 * to (its endpoint's src4/src6), wireguard-go's sticky sockets do the same; without it the
 * kernel picks the source by route, and a peer that wrote to a secondary address sees the
 * primary one answer and roams there.
 *
 * <p>Unlike the kernel, which takes the address from authenticated packets only, this learns it
 * from every datagram (the transport does not know which ones authenticate): a forged datagram
 * with a peer's address can change which of our addresses answers that peer, never where the
 * answers go, until the peer's next datagram sets it back.
 *
 * <p>A fixed table of {@link #SLOTS} entries, direct-mapped by the remote's hash, so that any
 * number of senders costs the same memory: a remote whose slot another sender took is answered
 * from the route's choice until its next datagram. Addresses are kept as 16 bytes (IPv4 as
 * IPv4-mapped IPv6), as two longs in memory order. Confined to the event loop; allocates nothing.
 */
final class StickySources {
    static final int SLOTS = 256;

    private final InetSocketAddress[] remote = new InetSocketAddress[SLOTS];
    private final long[] first = new long[SLOTS];
    private final long[] second = new long[SLOTS];

    private static int slot(InetSocketAddress a) {
        int h = a.hashCode(); // the address's hash plus the port: no allocation
        h ^= (h >>> 16) ^ (h >>> 8);
        return h & (SLOTS - 1);
    }

    /** from's latest datagram was sent to the local address (first, second). */
    void learn(InetSocketAddress from, long first, long second) {
        int s = slot(from);
        InetSocketAddress r = remote[s];
        if ((r == from || from.equals(r)) && this.first[s] == first && this.second[s] == second) return;
        remote[s] = from;
        this.first[s] = first;
        this.second[s] = second;
    }

    /** The slot holding to's source, or -1 if it has none. */
    int find(InetSocketAddress to) {
        int s = slot(to);
        InetSocketAddress r = remote[s];
        return r != null && (r == to || to.equals(r)) ? s : -1;
    }

    /** The first eight bytes of the source in slot s (see {@link #find}). */
    long first(int s) {
        return first[s];
    }

    /** The last eight bytes of the source in slot s. */
    long second(int s) {
        return second[s];
    }

    /** to's source cannot be used (e.g. the address is gone): let the route choose until to writes again. */
    void forget(InetSocketAddress to) {
        int s = find(to);
        if (s >= 0) remote[s] = null;
    }
}
