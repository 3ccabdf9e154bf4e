package jwg.datapath;

import java.util.List;
import java.util.Map;

/**
 * A snapshot of a device's counters for a metrics scrape, taken on the loop as {@link DeviceState}
 * is, without its key material. The drop counters are not in it: {@link Drops} is read from any
 * thread.
 *
 * @param peers              the peers, in the order they were added
 * @param cookieRepliesSent  cookie replies sent to sources of handshake messages under load (whitepaper 5.4.7)
 * @param offloads           every offload jwg knows, by name ("tun_tso4", "udp_gso", ...), and whether it is on now
 * @param poolDirectBytes    direct memory held by the buffer pool
 * @param poolHeapBytes      heap memory held by the buffer pool
 */
public record DeviceStats(List<PeerStats> peers, long cookieRepliesSent, Map<String, Boolean> offloads,
                          long poolDirectBytes, long poolHeapBytes) {
    public DeviceStats {
        peers = List.copyOf(peers);
    }
}
