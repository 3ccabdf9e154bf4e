package jwg.cli;

import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import jwg.cli.metrics.DeviceMetrics;
import jwg.datapath.Device;

/**
 * The Prometheus endpoint (the client library's HTTP server, on the JDK's): /metrics in the text
 * format, with the device's {@link DeviceMetrics} and nothing else (no JVM metrics: they would
 * load what the daemon does not need). One thread serves, as scrapes come seconds apart; it is
 * loaded only when {@link MetricsOption} names an address.
 */
final class PrometheusMetrics implements Metrics {
    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final HTTPServer server;

    private PrometheusMetrics(InetSocketAddress at) throws IOException {
        ExecutorService one = Executors.newSingleThreadExecutor(r -> Thread.ofPlatform().daemon().name("jwg-metrics").unstarted(r));
        try {
            server = HTTPServer.builder().inetAddress(at.getAddress()).port(at.getPort()).registry(registry)
                    .executorService(one).buildAndStart();
        } catch (IOException | RuntimeException e) {
            one.shutdown();
            throw e;
        }
    }

    /** Listens on at (given as value) now; a port in use, or an address not ours, is the user's mistake. */
    static Metrics start(InetSocketAddress at, String value) throws UserError {
        try {
            return new PrometheusMetrics(at);
        } catch (IOException e) {
            throw new UserError("cannot serve metrics on " + value + ": " + e.getMessage());
        }
    }

    @Override public void serve(String ifName, Device device) {
        registry.register(new DeviceMetrics(ifName, device));
    }

    @Override public void close() {
        server.close();
    }
}
