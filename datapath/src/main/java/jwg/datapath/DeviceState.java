package jwg.datapath;

import java.util.List;
import java.util.Optional;

/**
 * A snapshot of a device's configuration and counters, as a configuration protocol `get` reports
 * it. It holds key material: callers wipe {@link #privateKey} (and the preshared keys) when done.
 *
 * @param privateKey the private key, or empty if the device has none
 * @param listenPort the UDP port the device is bound to
 * @param fwmark     the SO_MARK of the UDP socket, an unsigned 32-bit value (0: none)
 * @param peers      the peers, in the order they were added
 */
public record DeviceState(Optional<byte[]> privateKey, int listenPort, int fwmark, List<PeerState> peers) {
    public DeviceState {
        peers = List.copyOf(peers);
    }

    /** Overwrites the private and preshared keys of this snapshot. */
    public void wipe() {
        privateKey.ifPresent(k -> java.util.Arrays.fill(k, (byte) 0));
        peers.forEach(p -> java.util.Arrays.fill(p.presharedKey(), (byte) 0));
    }

    @Override public String toString() {
        return "DeviceState[listenPort=" + listenPort + ", fwmark=" + Integer.toUnsignedString(fwmark) + ", peers=" + peers + "]";
    }
}
