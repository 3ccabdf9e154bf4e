package jwg.datapath;

import jwg.net.IpPrefix;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;

/**
 * One peer in a {@link DeviceState}.
 *
 * @param publicKey               the peer's public key
 * @param presharedKey            the preshared key (32 zero bytes: none)
 * @param endpoint                the configured or last roamed-to endpoint, if any
 * @param lastHandshakeEpochNanos wall-clock time of the last completed handshake, epoch nanoseconds; 0: never
 * @param rxBytes                 bytes received from the peer (whole WireGuard messages)
 * @param txBytes                 bytes sent to the peer (whole WireGuard messages)
 * @param persistentKeepalive     seconds, 0: off
 * @param allowedIps              the peer's prefixes in the order they were given to it (one given
 *                                again moves to the end), as the kernel and wireguard-go list them
 */
public record PeerState(byte[] publicKey, byte[] presharedKey, Optional<InetSocketAddress> endpoint,
                        long lastHandshakeEpochNanos, long rxBytes, long txBytes, int persistentKeepalive,
                        List<IpPrefix> allowedIps) {
    public PeerState {
        allowedIps = List.copyOf(allowedIps);
    }

    @Override public String toString() {
        return "PeerState[" + Log.peerName(publicKey) + ", endpoint=" + endpoint + ", rx=" + rxBytes + ", tx=" + txBytes
                + ", persistentKeepalive=" + persistentKeepalive + ", allowedIps=" + allowedIps + "]";
    }
}
