package jwg.cli;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Where to serve the Prometheus metrics, if anywhere: {@code --metrics ADDR:PORT} before the
 * interface or file, or, for jwg started by something that takes no options of ours (wg-quick's
 * {@code $WG_QUICK_USERSPACE_IMPLEMENTATION IF}), {@code JWG_METRICS=ADDR:PORT}; the option wins.
 * ADDR is an IP address ({@code [::1]} for IPv6, {@code 0.0.0.0} for every IPv4 address). Without
 * either, no class of the metrics library is loaded.
 *
 * @param value ADDR:PORT as given, or null for none
 * @param given how it was given, for the error line: "--metrics ADDR:PORT" or "JWG_METRICS=ADDR:PORT"
 */
record MetricsOption(String value, String given) {
    static final String OPTION = "--metrics";
    static final String ENVIRONMENT = "JWG_METRICS";

    /** args less the option and its value. */
    record Taken(String[] rest, MetricsOption metrics) {}

    /** Takes {@code --metrics ADDR:PORT} out of args (a missing value is a usage error: left in place); else JWG_METRICS. */
    static Taken take(String[] args) {
        List<String> rest = new ArrayList<>(Arrays.asList(args));
        int i = rest.indexOf(OPTION);
        if (i >= 0 && i + 1 < rest.size()) {
            String value = rest.get(i + 1);
            rest.subList(i, i + 2).clear();
            return new Taken(rest.toArray(String[]::new), new MetricsOption(value, OPTION + " " + value));
        }
        String env = System.getenv(ENVIRONMENT);
        return new Taken(args, new MetricsOption(env == null || env.isEmpty() ? null : env, ENVIRONMENT + "=" + env));
    }

    /** The address to serve on, or null for none; a value that is not ADDR:PORT is the user's mistake. */
    InetSocketAddress address() throws UserError {
        if (value == null) return null;
        int colon = value.lastIndexOf(':');
        String host = colon < 0 ? "" : value.substring(0, colon);
        String port = colon < 0 ? "" : value.substring(colon + 1);
        if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
        else if (host.indexOf(':') >= 0) host = ""; // IPv6 without brackets: the port would be ambiguous
        InetAddress address = literal(host);
        int p = port.matches("[0-9]{1,5}") ? Integer.parseInt(port) : 0;
        if (address == null || p < 1 || p > 65535 || (address instanceof Inet6Address) != value.startsWith("[")) {
            throw new UserError(given + ": not ADDR:PORT (an IP address and a port from 1 to 65535, e.g. 127.0.0.1:9586 or [::1]:9586)");
        }
        return new InetSocketAddress(address, p);
    }

    /** The endpoint of {@link #address}, serving already (so a port in use ends jwg before it touches the host), or none. */
    Metrics open() throws UserError {
        InetSocketAddress at = address();
        return at == null ? Metrics.NONE : PrometheusMetrics.start(at, value);
    }

    /** An IPv4 or IPv6 literal, never a name to resolve; null if host is not one. */
    private static InetAddress literal(String host) {
        try {
            return InetAddress.ofLiteral(host);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
