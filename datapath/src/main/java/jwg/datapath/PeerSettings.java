package jwg.datapath;

import java.net.InetSocketAddress;
import java.util.List;

/**
 * A peer as configured ([Peer] of a configuration file, or the UAPI's peer keys).
 *
 * @param publicKey the peer's static public key (32 bytes)
 * @param presharedKey 32 bytes, or null for none (the all-zero key of whitepaper 5.4)
 * @param endpoint where to send, or null to wait for the peer to reach us (roaming learns it)
 * @param allowedIps the peer's cryptokey routing prefixes
 * @param persistentKeepalive seconds, 0 for off
 */
public record PeerSettings(byte[] publicKey, byte[] presharedKey, InetSocketAddress endpoint,
                           List<AllowedIp> allowedIps, int persistentKeepalive) {
    public PeerSettings {
        if (publicKey == null || publicKey.length != 32) throw new IllegalArgumentException("public key must be 32 bytes");
        if (presharedKey != null && presharedKey.length != 32) throw new IllegalArgumentException("preshared key must be 32 bytes");
        if (persistentKeepalive < 0 || persistentKeepalive > 0xffff) throw new IllegalArgumentException("persistent keepalive out of range");
        allowedIps = List.copyOf(allowedIps);
    }

    @Override public String toString() {
        return "PeerSettings[" + Log.peerName(publicKey) + ", endpoint=" + endpoint + ", allowedIps=" + allowedIps
                + ", persistentKeepalive=" + persistentKeepalive + (presharedKey != null ? ", psk" : "") + "]";
    }
}
