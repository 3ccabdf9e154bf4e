package jwg.config;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/**
 * A peer endpoint as written: a host (IP literal or name, without brackets) and a UDP port. wg
 * resolves it when the configuration is applied, so resolution is the separate step
 * {@link #resolve()}.
 */
public record Endpoint(String host, int port) {
    public Endpoint {
        if (host.isEmpty()) throw new IllegalArgumentException("empty endpoint host");
        if (port < 0 || port > 65535) throw new IllegalArgumentException("port out of range: " + port);
    }

    /**
     * wg's syntax: {@code [host]:port}, or {@code host:port} split at the last ':' (so an unbracketed
     * IPv6 address works too, as in wg). A host containing ':' must be an IPv6 literal (with an
     * optional %scope); a host of digits and dots must be an IPv4 address as getaddrinfo reads it;
     * anything else is a name for {@link #resolve()}. The port is a decimal number 0-65535.
     */
    public static Endpoint parse(String text) {
        String host;
        String port;
        if (text.startsWith("[")) {
            int close = text.indexOf(']');
            if (close < 0) throw new IllegalArgumentException("\"" + text + "\" has no closing ']'");
            if (!text.startsWith(":", close + 1) || close + 2 == text.length()) {
                throw new IllegalArgumentException("\"" + text + "\" has no :port after ']'");
            }
            host = text.substring(1, close);
            port = text.substring(close + 2);
        } else {
            int colon = text.lastIndexOf(':');
            if (colon < 0 || colon + 1 == text.length()) throw new IllegalArgumentException("\"" + text + "\" has no :port");
            host = text.substring(0, colon);
            port = text.substring(colon + 1);
        }
        if (host.isEmpty()) throw new IllegalArgumentException("\"" + text + "\" has no host");
        checkHost(host);
        long number = CNumbers.decimal(port, 65535);
        if (number < 0) throw new IllegalArgumentException("\"" + port + "\" is not a port number (0-65535)");
        return new Endpoint(host, (int) number);
    }

    private static void checkHost(String host) {
        if (host.indexOf(':') >= 0) {
            int percent = host.indexOf('%');
            String address = percent < 0 ? host : host.substring(0, percent);
            if (IpLiterals.parseV6(address) == null || percent == host.length() - 1) {
                throw new IllegalArgumentException("\"" + host + "\" is not a valid IPv6 address");
            }
        } else if (host.chars().allMatch(c -> c == '.' || (c >= '0' && c <= '9')) && IpLiterals.parseV4Numeric(host) == null) {
            throw new IllegalArgumentException("\"" + host + "\" is not a valid IPv4 address");
        }
    }

    /**
     * The socket address, looking a host name up now (an IP literal needs no lookup). Like wg, takes
     * the first address the resolver returns; Java puts IPv4 first unless
     * {@code -Djava.net.preferIPv6Addresses=system} asks for the system's (getaddrinfo's) order.
     * An IPv6 literal stays IPv6 even when IPv4-mapped, as getaddrinfo gives it to wg; one with a
     * %scope is left to Java, which knows the interfaces.
     */
    public InetSocketAddress resolve() throws UnknownHostException {
        boolean v6 = host.indexOf(':') >= 0;
        byte[] literal = v6 ? IpLiterals.parseV6(host) : IpLiterals.parseV4Numeric(host);
        InetAddress address = literal == null ? InetAddress.getAllByName(host)[0]
                : v6 ? IpLiterals.ipv6(literal) : InetAddress.getByAddress(literal);
        return new InetSocketAddress(address, port);
    }

    /** {@code host:port}, with the host in brackets when it contains ':' (IPv6). */
    @Override
    public String toString() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
}
