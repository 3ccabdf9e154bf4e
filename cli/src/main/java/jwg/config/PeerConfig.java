package jwg.config;

import jwg.net.IpPrefix;
import java.util.List;
import java.util.Optional;

/**
 * One peer, after wg's merging: [Peer] sections with the same PublicKey are one peer.
 *
 * @param presharedKey        absent when none was given or it is all zeros (the same thing)
 * @param allowedIps          the peer's effective allowed IPs, masked, in the kernel's order; a
 *                            prefix is never listed under two peers (the last peer to claim it has it)
 * @param persistentKeepalive seconds, 0 means off
 */
public record PeerConfig(Key publicKey, Optional<Key> presharedKey, Optional<Endpoint> endpoint,
                         List<IpPrefix> allowedIps, int persistentKeepalive) {
    public PeerConfig {
        if (persistentKeepalive < 0 || persistentKeepalive > 65535) throw new IllegalArgumentException("keepalive out of range");
        allowedIps = List.copyOf(allowedIps);
    }
}
