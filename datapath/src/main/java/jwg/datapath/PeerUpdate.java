package jwg.datapath;

import jwg.net.IpPrefix;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A change to one peer, identified by its public key: the peer keys of a cross-platform
 * configuration protocol `set` that follow one `public_key` line.
 *
 * @param publicKey          the peer's static public key (32 bytes); a peer with the interface's own
 *                           public key is ignored, as the kernel and wireguard-go do
 * @param remove             remove the peer (the other fields are then ignored)
 * @param updateOnly         change the peer only if it exists; never create it
 * @param presharedKey       the new preshared key (all zeros: none), or empty to keep it; it applies
 *                           from the next handshake
 * @param endpoint           the new endpoint, or empty to keep it
 * @param persistentKeepalive the new persistent keepalive interval in seconds (0: off), or empty
 * @param replaceAllowedIps  remove every allowed IP of the peer before the changes below
 * @param allowedIps         allowed-IP additions and removals, applied in order
 */
public record PeerUpdate(byte[] publicKey, boolean remove, boolean updateOnly, Optional<byte[]> presharedKey,
                         Optional<InetSocketAddress> endpoint, OptionalInt persistentKeepalive,
                         boolean replaceAllowedIps, List<AllowedIpChange> allowedIps) {
    public PeerUpdate {
        Keys.check(publicKey, "public key");
        presharedKey.ifPresent(k -> Keys.check(k, "preshared key"));
        persistentKeepalive.ifPresent(s -> {
            if (s < 0 || s > 0xffff) throw new IllegalArgumentException("persistent keepalive out of range: " + s);
        });
        allowedIps = List.copyOf(allowedIps);
    }

    /** Adds or changes the peer with publicKey: keys, endpoint, keepalive and allowed IPs as given. */
    public static PeerUpdate set(byte[] publicKey, byte[] presharedKey, InetSocketAddress endpoint,
                                 int persistentKeepalive, List<IpPrefix> allowedIps) {
        return new PeerUpdate(publicKey, false, false, Optional.ofNullable(presharedKey), Optional.ofNullable(endpoint),
                OptionalInt.of(persistentKeepalive), true, allowedIps.stream().map(AllowedIpChange::add).toList());
    }

    @Override public String toString() {
        return "PeerUpdate[" + Log.peerName(publicKey) + (remove ? ", remove" : "") + (updateOnly ? ", update only" : "")
                + (presharedKey.isPresent() ? ", preshared key" : "") + ", endpoint=" + endpoint
                + ", persistentKeepalive=" + persistentKeepalive + (replaceAllowedIps ? ", replace allowed IPs" : "")
                + ", allowedIps=" + allowedIps + "]";
    }
}
