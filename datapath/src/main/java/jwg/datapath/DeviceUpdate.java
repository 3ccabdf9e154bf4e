package jwg.datapath;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * One change to a device's configuration, applied whole or not at all by {@link Device#configure}:
 * the device keys of a cross-platform configuration protocol `set` (wireguard.com/xplatform), then
 * its peers in order.
 *
 * @param privateKey   the new private key (32 bytes; all zeros means none: no handshakes), or empty
 *                     to keep the current one; clamped here, in place (RFC 7748), as the kernel
 *                     stores it: `wg show` shows the key in use, and the same key given clamped
 *                     or not is the same key to {@link Device#configure}
 * @param listenPort   the UDP port to listen on (0: any free port), or empty to keep it
 * @param fwmark       the SO_MARK of the UDP socket, as an unsigned 32-bit value (0: none), or empty
 *                     to keep it
 * @param replacePeers remove every peer before the peer changes are applied
 * @param peers        the peer changes, applied in order
 */
public record DeviceUpdate(Optional<byte[]> privateKey, OptionalInt listenPort, OptionalInt fwmark,
                           boolean replacePeers, List<PeerUpdate> peers) {
    public DeviceUpdate {
        privateKey.ifPresent(k -> Keys.check(k, "private key")); // the device keeps it clamped
        listenPort.ifPresent(p -> {
            if (p < 0 || p > 0xffff) throw new IllegalArgumentException("listen port out of range: " + p);
        });
        peers = List.copyOf(peers);
    }

    /** Overwrites the private and preshared keys of this update (the device keeps copies). */
    public void wipe() {
        privateKey.ifPresent(k -> java.util.Arrays.fill(k, (byte) 0));
        peers.forEach(p -> p.presharedKey().ifPresent(k -> java.util.Arrays.fill(k, (byte) 0)));
    }

    @Override public String toString() {
        return "DeviceUpdate[" + (privateKey.isPresent() ? "private key, " : "") + "listenPort=" + listenPort
                + ", fwmark=" + fwmark + ", replacePeers=" + replacePeers + ", peers=" + peers + "]";
    }
}
