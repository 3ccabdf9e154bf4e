package jwg.datapath;

import java.net.InetSocketAddress;
import java.util.List;

/** What `wg show` reports of a peer. */
public record PeerStatus(byte[] publicKey, InetSocketAddress endpoint, long rxBytes, long txBytes,
                         long lastHandshakeEpochNanos, List<AllowedIp> allowedIps) {}
