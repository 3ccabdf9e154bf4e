package jwg.cli.metrics;

import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.InfoSnapshot;
import io.prometheus.metrics.model.snapshots.InfoSnapshot.InfoDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;
import jwg.crypto.PacketAead;
import jwg.datapath.Device;
import jwg.datapath.DeviceStats;
import jwg.datapath.Drop;
import jwg.datapath.Drops;
import jwg.datapath.PeerStats;
import jwg.net.IpPrefix;
import jwg.net.IpText;
import jwg.noise.DropReason;

/**
 * One interface's metrics, taken at each scrape: the peers' counters in one task on the device's
 * loop ({@link Device#stats}), the drop counters read as they are ({@link Drops} may be read from
 * any thread). The three per-peer metrics that prometheus_wireguard_exporter has keep its names
 * and labels (interface, public_key, allowed_ips as `wg show dump` lists them), so that dashboards
 * made for it work; the rest are jwg's own, labelled with the interface. Public keys are the only
 * keys that appear, as labels.
 */
public final class DeviceMetrics implements MultiCollector {
    /** The snapshot of the peers' and the device's counters: {@link Device#stats}, or one made in a test. */
    public interface Stats {
        DeviceStats get() throws IOException;
    }

    private final String ifName;
    private final Stats stats;
    private final Drops drops;

    public DeviceMetrics(String ifName, Stats stats, Drops drops) {
        this.ifName = ifName;
        this.stats = stats;
        this.drops = drops;
    }

    public DeviceMetrics(String ifName, Device device) {
        this(ifName, device::stats, device.drops());
    }

    @Override public MetricSnapshots collect() {
        DeviceStats s;
        try {
            s = stats.get();
        } catch (IOException e) {
            throw new UncheckedIOException(ifName + ": " + e.getMessage(), e);
        }
        List<MetricSnapshot> out = new ArrayList<>();
        peers(s.peers(), out);
        Labels device = Labels.of("interface", ifName);
        out.add(gauge("jwg_peers", "Peers configured on the interface", List.of(point(device, s.peers().size()))));
        out.add(counter("jwg_drops", "Packets dropped, by the layer that dropped them and why", dropPoints()));
        out.add(counter("jwg_cookie_replies_sent", "Cookie replies sent to handshake messages without a valid cookie, under load",
                List.of(count(device, s.cookieRepliesSent()))));
        out.add(counter("jwg_handshakes_rate_limited", "Handshake messages under load beyond their source's rate limit, dropped",
                List.of(count(device, drops.get(Drop.RATE_LIMITED)))));
        List<GaugeDataPointSnapshot> offloads = new ArrayList<>();
        for (Map.Entry<String, Boolean> o : s.offloads().entrySet()) {
            offloads.add(point(device.add("offload", o.getKey()), o.getValue() ? 1 : 0));
        }
        out.add(gauge("jwg_offload_active", "Whether each offload is on (1) or off (0)", offloads));
        out.add(InfoSnapshot.builder().name("jwg_aead_backend").help("The ChaCha20-Poly1305 implementation in use")
                .dataPoint(InfoDataPointSnapshot.builder().labels(device.add("backend", PacketAead.backend())).build()).build());
        out.add(gauge("jwg_pool_bytes", "Memory held by the packet buffer pool",
                List.of(point(device.add("pool", "direct"), s.poolDirectBytes()), point(device.add("pool", "heap"), s.poolHeapBytes()))));
        return new MetricSnapshots(out);
    }

    private void peers(List<PeerStats> peers, List<MetricSnapshot> out) {
        List<CounterDataPointSnapshot> sent = new ArrayList<>(peers.size());
        List<CounterDataPointSnapshot> received = new ArrayList<>(peers.size());
        List<GaugeDataPointSnapshot> handshake = new ArrayList<>(peers.size());
        List<CounterDataPointSnapshot> attempts = new ArrayList<>(peers.size());
        List<CounterDataPointSnapshot> failures = new ArrayList<>(peers.size());
        List<InfoDataPointSnapshot> endpoints = new ArrayList<>(peers.size());
        for (PeerStats p : peers) {
            Labels peer = Labels.of("interface", ifName, "public_key", Base64.getEncoder().encodeToString(p.publicKey()));
            Labels exporter = peer.add("allowed_ips", allowedIps(p.allowedIps()));
            sent.add(count(exporter, p.txBytes()));
            received.add(count(exporter, p.rxBytes()));
            handshake.add(point(exporter, p.lastHandshakeEpochNanos() / 1_000_000_000L)); // whole seconds, as `wg show dump`
            attempts.add(count(peer, p.handshakeAttempts()));
            failures.add(count(peer, p.handshakeFailures()));
            if (p.endpoint().isPresent()) {
                InetSocketAddress e = p.endpoint().get();
                endpoints.add(InfoDataPointSnapshot.builder().labels(peer.add("remote_ip", IpText.format(e.getAddress()))
                        .add("remote_port", Integer.toString(e.getPort()))).build());
            }
        }
        out.add(counter("wireguard_sent_bytes", "Bytes sent to the peer", sent));
        out.add(counter("wireguard_received_bytes", "Bytes received from the peer", received));
        out.add(gauge("wireguard_latest_handshake_seconds", "Time of the latest handshake with the peer, seconds since the epoch; 0: none",
                handshake));
        out.add(counter("jwg_peer_handshake_attempts", "Handshake initiations sent to the peer, first attempts and retries", attempts));
        out.add(counter("jwg_peer_handshake_failures",
                "Handshake initiations to the peer no session came of: retried, given up, or dropped with the sessions", failures));
        InfoSnapshot.Builder info = InfoSnapshot.builder().name("jwg_peer_endpoint").help("The peer's endpoint, configured or roamed to");
        endpoints.forEach(info::dataPoint);
        out.add(info.build());
    }

    private List<CounterDataPointSnapshot> dropPoints() {
        List<CounterDataPointSnapshot> points = new ArrayList<>();
        for (Drop d : Drop.values()) points.add(count(dropLabels("datapath", d.name()), drops.get(d)));
        for (DropReason r : DropReason.values()) points.add(count(dropLabels("noise", r.name()), drops.get(r)));
        return points;
    }

    private Labels dropLabels(String layer, String reason) {
        return Labels.of("interface", ifName, "layer", layer, "reason", reason.toLowerCase(Locale.ROOT));
    }

    /** As `wg show dump` lists them: comma-separated, "(none)" for none. */
    private static String allowedIps(List<IpPrefix> ips) {
        if (ips.isEmpty()) return "(none)";
        StringJoiner j = new StringJoiner(",");
        for (IpPrefix a : ips) j.add(a.toString());
        return j.toString();
    }

    private static CounterSnapshot counter(String name, String help, List<CounterDataPointSnapshot> points) {
        CounterSnapshot.Builder b = CounterSnapshot.builder().name(name).help(help);
        points.forEach(b::dataPoint);
        return b.build();
    }

    private static GaugeSnapshot gauge(String name, String help, List<GaugeDataPointSnapshot> points) {
        GaugeSnapshot.Builder b = GaugeSnapshot.builder().name(name).help(help);
        points.forEach(b::dataPoint);
        return b.build();
    }

    private static CounterDataPointSnapshot count(Labels labels, long value) {
        return CounterDataPointSnapshot.builder().labels(labels).value(value).build();
    }

    private static GaugeDataPointSnapshot point(Labels labels, long value) {
        return GaugeDataPointSnapshot.builder().labels(labels).value(value).build();
    }
}
