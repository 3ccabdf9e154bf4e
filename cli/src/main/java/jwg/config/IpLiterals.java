package jwg.config;

import java.net.Inet6Address;
import java.net.NetworkInterface;
import java.net.UnknownHostException;
import java.util.Arrays;

/**
 * IP address literals read and written the way glibc does: {@code inet_pton} (what wg uses for
 * AllowedIPs and iproute2 for IPv6), {@code inet_aton} (what getaddrinfo accepts for IPv4 endpoint
 * hosts) and {@code inet_ntop} (what wg prints). Parsers return null for an invalid literal.
 */
public final class IpLiterals {
    private IpLiterals() {}

    /** inet_pton(AF_INET): exactly four decimal octets 0-255, no leading zeros. */
    public static byte[] parseV4(String s) {
        byte[] out = new byte[4];
        int octets = 0;
        int current = 0;
        boolean sawDigit = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= '0' && c <= '9') {
                if (sawDigit && current == 0) return null;
                current = current * 10 + (c - '0');
                if (current > 255) return null;
                if (!sawDigit) {
                    if (++octets > 4) return null;
                    sawDigit = true;
                }
                out[octets - 1] = (byte) current;
            } else if (c == '.' && sawDigit) {
                if (octets == 4) return null;
                current = 0;
                sawDigit = false;
            } else {
                return null;
            }
        }
        return octets == 4 ? out : null;
    }

    /** inet_pton(AF_INET6), a port of glibc's: hex groups, one "::", an optional dotted IPv4 tail. */
    public static byte[] parseV6(String s) {
        int n = s.length();
        if (n == 0) return null;
        int i = 0;
        if (s.charAt(0) == ':') {
            if (n < 2 || s.charAt(1) != ':') return null;
            i = 1;
        }
        byte[] tmp = new byte[16];
        int tp = 0;
        int colonAt = -1;
        int tokenStart = i;
        int digits = 0;
        int value = 0;
        while (i < n) {
            char c = s.charAt(i++);
            int d = hexDigit(c);
            if (d >= 0) {
                if (digits == 4) return null;
                value = (value << 4) | d;
                digits++;
            } else if (c == ':') {
                tokenStart = i;
                if (digits == 0) {
                    if (colonAt >= 0) return null;
                    colonAt = tp;
                    continue;
                }
                if (i == n || tp + 2 > 16) return null;
                tmp[tp++] = (byte) (value >> 8);
                tmp[tp++] = (byte) value;
                digits = 0;
                value = 0;
            } else if (c == '.' && tp + 4 <= 16) {
                byte[] v4 = parseV4(s.substring(tokenStart));
                if (v4 == null) return null;
                System.arraycopy(v4, 0, tmp, tp, 4);
                tp += 4;
                digits = 0;
                break;
            } else {
                return null;
            }
        }
        if (digits > 0) {
            if (tp + 2 > 16) return null;
            tmp[tp++] = (byte) (value >> 8);
            tmp[tp++] = (byte) value;
        }
        if (colonAt >= 0) {
            if (tp == 16) return null;
            int tail = tp - colonAt;
            System.arraycopy(tmp, colonAt, tmp, 16 - tail, tail);
            Arrays.fill(tmp, colonAt, 16 - tail, (byte) 0);
            tp = 16;
        }
        return tp == 16 ? tmp : null;
    }

    /**
     * The 16-byte address as an Inet6Address, also when it is IPv4-mapped (::ffff:a.b.c.d), which
     * InetAddress.getByAddress would make an Inet4Address: wg (getaddrinfo), the kernel and
     * wireguard-go keep such an endpoint IPv6 and report it as given.
     */
    public static Inet6Address ipv6(byte[] a) {
        try {
            return Inet6Address.getByAddress(null, a, (NetworkInterface) null);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("an IPv6 address is 16 bytes", e);
        }
    }

    /** A literal as wg reads it: IPv6 if it contains ':', else IPv4 (inet_pton). */
    static byte[] parse(String s) {
        return s.indexOf(':') >= 0 ? parseV6(s) : parseV4(s);
    }

    /**
     * inet_aton for strings of digits and dots, as getaddrinfo reads numeric IPv4 hosts: 1 to 4
     * parts, a leading 0 means octal, the last part fills the remaining bytes ("127.1", "010.0.0.1").
     */
    static byte[] parseV4Numeric(String s) {
        String[] parts = s.split("\\.", -1);
        if (parts.length > 4) return null;
        long[] values = new long[parts.length];
        for (int k = 0; k < parts.length; k++) {
            String p = parts[k];
            if (p.isEmpty()) return null;
            int radix = p.length() > 1 && p.charAt(0) == '0' ? 8 : 10;
            long v = 0;
            for (int j = 0; j < p.length(); j++) {
                int d = p.charAt(j) - '0';
                if (d < 0 || d >= radix) return null;
                v = v * radix + d;
                if (v > 0xffff_ffffL) return null;
            }
            values[k] = v;
        }
        int last = parts.length - 1;
        long address = 0;
        for (int k = 0; k < last; k++) {
            if (values[k] > 255) return null;
            address |= values[k] << (24 - 8 * k);
        }
        if (values[last] > (0xffff_ffffL >>> (8 * last))) return null;
        address |= values[last];
        return new byte[] {(byte) (address >> 24), (byte) (address >> 16), (byte) (address >> 8), (byte) address};
    }

    private static int hexDigit(char c) {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        if (c >= 'A' && c <= 'F') return c - 'A' + 10;
        return -1;
    }
}
