package jwg.cli.uapi;

import jwg.net.IpPrefix;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.HexFormat;
import jwg.config.IpLiterals;

/**
 * The value syntax of the configuration protocol, read as strictly as wireguard-go reads it
 * (device/uapi.go): keys are 64 hex digits; numbers are Go's strconv.ParseUint in base 10 (digits
 * only, no sign); endpoints are netip.ParseAddrPort (a numeric address, IPv6 in brackets with an
 * optional zone, and a port); prefixes are netip.ParsePrefix (address, '/', length without
 * leading zeros, no zone). Written back as wireguard-go writes them.
 */
final class UapiSyntax {
    private UapiSyntax() {}

    static final int KEY_LENGTH = 32;
    private static final HexFormat HEX = HexFormat.of();

    /** A 32-byte key in hex (either case); the message names the key, never the value. */
    static byte[] key(String value, String name) throws UapiException {
        if (value.length() != 2 * KEY_LENGTH) throw UapiException.invalid("invalid " + name + ": not 64 hex digits");
        try {
            return HEX.parseHex(value);
        } catch (IllegalArgumentException e) {
            throw UapiException.invalid("invalid " + name + ": not 64 hex digits");
        }
    }

    static String hex(byte[] key) {
        return HEX.formatHex(key);
    }

    /** A value for a log line, quoted, cut to 48 characters (shorter than a hex key, so a misplaced key is not logged whole). */
    static String quote(String value) {
        return "\"" + (value.length() > 48 ? value.substring(0, 48) + "…" : value) + "\"";
    }

    /** strconv.ParseUint(value, 10, bits): decimal digits only, at most max. */
    static long unsigned(String value, long max, String name) throws UapiException {
        if (value.isEmpty()) throw UapiException.invalid("invalid " + name + " " + quote(value));
        long n = 0;
        for (int i = 0; i < value.length(); i++) {
            int d = value.charAt(i) - '0';
            if (d < 0 || d > 9) throw UapiException.invalid("invalid " + name + " " + quote(value));
            n = n * 10 + d;
            if (n > max) throw UapiException.invalid(name + " out of range: " + quote(value));
        }
        return n;
    }

    /** The literal "true", the only value wireguard-go accepts for a flag. */
    static void flag(String value, String name) throws UapiException {
        if (!value.equals("true")) throw UapiException.invalid("invalid " + name + " " + quote(value) + ": only true is accepted");
    }

    /** "a.b.c.d:port" or "[v6]:port" / "[v6%zone]:port": numeric, never looked up. */
    static InetSocketAddress endpoint(String value) throws UapiException {
        String host;
        String port;
        boolean bracketed = value.startsWith("[");
        if (bracketed) {
            int close = value.indexOf(']');
            if (close < 0 || !value.startsWith(":", close + 1)) throw badEndpoint(value);
            host = value.substring(1, close);
            port = value.substring(close + 2);
        } else {
            int colon = value.lastIndexOf(':');
            if (colon < 0) throw badEndpoint(value);
            host = value.substring(0, colon);
            port = value.substring(colon + 1);
        }
        int p = (int) unsigned(port, 0xffff, "endpoint port");
        InetAddress address = bracketed ? ipv6WithZone(host, value) : ipv4(host, value);
        return new InetSocketAddress(address, p);
    }

    private static InetAddress ipv4(String host, String value) throws UapiException {
        byte[] a = IpLiterals.parseV4(host);
        if (a == null) throw badEndpoint(value);
        return byAddress(a);
    }

    private static InetAddress ipv6WithZone(String host, String value) throws UapiException {
        int percent = host.indexOf('%');
        byte[] a = IpLiterals.parseV6(percent < 0 ? host : host.substring(0, percent));
        if (a == null) throw badEndpoint(value);
        if (percent < 0) return IpLiterals.ipv6(a); // an IPv4-mapped one stays IPv6, as in netip
        String zone = host.substring(percent + 1);
        if (zone.isEmpty()) throw badEndpoint(value);
        try {
            if (zone.chars().allMatch(c -> c >= '0' && c <= '9')) {
                return Inet6Address.getByAddress(null, a, (int) unsigned(zone, Integer.MAX_VALUE, "endpoint zone"));
            }
            NetworkInterface nif = NetworkInterface.getByName(zone);
            if (nif == null) throw UapiException.invalid("invalid endpoint " + quote(value) + ": no interface " + quote(zone));
            return Inet6Address.getByAddress(null, a, nif);
        } catch (UnknownHostException | SocketException e) {
            throw badEndpoint(value);
        }
    }

    private static UapiException badEndpoint(String value) {
        return UapiException.invalid("invalid endpoint " + quote(value) + ": want IPv4:port or [IPv6]:port");
    }

    /** "address/length", as netip.ParsePrefix reads it. */
    static IpPrefix prefix(String value) throws UapiException {
        int slash = value.lastIndexOf('/');
        if (slash < 0) throw badPrefix(value);
        String host = value.substring(0, slash);
        String bits = value.substring(slash + 1);
        byte[] a = host.indexOf(':') >= 0 ? IpLiterals.parseV6(host) : IpLiterals.parseV4(host);
        if (a == null || (bits.length() > 1 && bits.charAt(0) == '0')) throw badPrefix(value);
        long n = unsigned(bits, a.length * 8L, "allowed_ip prefix length");
        return new IpPrefix(a, (int) n);
    }

    private static UapiException badPrefix(String value) {
        return UapiException.invalid("invalid allowed_ip " + quote(value) + ": want address/length");
    }

    /** As netip.AddrPort.String: "a.b.c.d:port", or "[v6]:port" with "%zone" inside the brackets. */
    static String endpoint(InetSocketAddress e) {
        InetAddress a = e.getAddress();
        if (a instanceof Inet6Address v6) {
            String zone = v6.getScopedInterface() != null ? v6.getScopedInterface().getName()
                    : v6.getScopeId() != 0 ? Integer.toString(v6.getScopeId()) : null;
            return "[" + address(a.getAddress()) + (zone == null ? "" : "%" + zone) + "]:" + e.getPort();
        }
        return address(a.getAddress()) + ":" + e.getPort();
    }

    /** As netip.Prefix.String. */
    static String prefix(IpPrefix p) {
        return address(p.address()) + "/" + p.length();
    }

    /**
     * As netip.Addr.String: dotted quad; IPv6 as RFC 5952 (lowercase, the longest run of two or more
     * zero groups, the first of equal ones, as "::"); an IPv4-mapped address as ::ffff:a.b.c.d.
     */
    static String address(byte[] a) {
        if (a.length == 4) return (a[0] & 255) + "." + (a[1] & 255) + "." + (a[2] & 255) + "." + (a[3] & 255);
        int[] w = new int[8];
        for (int i = 0; i < 8; i++) w[i] = (a[2 * i] & 255) << 8 | (a[2 * i + 1] & 255);
        if (w[0] == 0 && w[1] == 0 && w[2] == 0 && w[3] == 0 && w[4] == 0 && w[5] == 0xffff) {
            return "::ffff:" + (a[12] & 255) + "." + (a[13] & 255) + "." + (a[14] & 255) + "." + (a[15] & 255);
        }
        int best = -1;
        int bestLen = 1;
        for (int i = 0; i < 8; ) {
            int j = i;
            while (j < 8 && w[j] == 0) j++;
            if (j - i > bestLen) {
                best = i;
                bestLen = j - i;
            }
            i = j == i ? i + 1 : j;
        }
        StringBuilder sb = new StringBuilder(39);
        for (int i = 0; i < 8; i++) {
            if (i == best) {
                sb.append("::");
                i += bestLen - 1;
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') sb.append(':');
            sb.append(Integer.toHexString(w[i]));
        }
        return sb.toString();
    }

    private static InetAddress byAddress(byte[] a) {
        try {
            return InetAddress.getByAddress(a);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }
}
