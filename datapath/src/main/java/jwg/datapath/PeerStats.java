package jwg.datapath;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import jwg.net.IpPrefix;

/**
 * One peer in a {@link DeviceStats}: what a metrics scrape reports of it, and no key but its
 * public one.
 *
 * @param publicKey               the peer's public key
 * @param endpoint                the configured or last roamed-to endpoint, if any
 * @param lastHandshakeEpochNanos wall-clock time of the last completed handshake, epoch nanoseconds; 0: never
 * @param rxBytes                 bytes received from the peer (whole WireGuard messages)
 * @param txBytes                 bytes sent to the peer (whole WireGuard messages)
 * @param handshakeAttempts       handshake initiations sent to the peer, first attempts and retries
 * @param handshakeFailures       of those, the ones no session came of (retried, given up, or dropped
 *                                with the sessions when the interface went down or the key changed)
 * @param allowedIps              the peer's prefixes, in the order `get` lists them
 */
public record PeerStats(byte[] publicKey, Optional<InetSocketAddress> endpoint, long lastHandshakeEpochNanos,
                        long rxBytes, long txBytes, long handshakeAttempts, long handshakeFailures,
                        List<IpPrefix> allowedIps) {
    public PeerStats {
        allowedIps = List.copyOf(allowedIps);
    }
}
