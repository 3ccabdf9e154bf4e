package jwg.config;

import jwg.net.IpPrefix;

/** The two ways a wg-quick file writes an IP prefix: wg's (AllowedIPs) and iproute2's (Address). */
public final class PrefixSyntax {
    private PrefixSyntax() {}

    /**
     * wg's AllowedIPs syntax: an inet_pton literal (IPv6 if it contains ':'), optionally "/" and a
     * decimal prefix length; without one the prefix is the whole address (/32, /128).
     */
    public static IpPrefix parse(String text) {
        int slash = text.indexOf('/');
        byte[] ip = IpLiterals.parse(slash < 0 ? text : text.substring(0, slash));
        if (ip == null) throw invalid(text);
        if (slash < 0) return new IpPrefix(ip, ip.length * 8);
        long length = CNumbers.decimal(text.substring(slash + 1), ip.length * 8);
        if (length < 0) throw invalid(text);
        return new IpPrefix(ip, (int) length);
    }

    /**
     * iproute2's syntax for {@code ip address add}: like {@link #parse} but the prefix length is
     * read with strtoul base 0 ("/0x18" and "/030" are 24).
     */
    static IpPrefix interfaceAddress(String text) {
        int slash = text.indexOf('/');
        byte[] ip = IpLiterals.parse(slash < 0 ? text : text.substring(0, slash));
        if (ip == null) throw new IllegalArgumentException("\"" + text + "\" is not a valid IP address with optional /prefix");
        if (slash < 0) return new IpPrefix(ip, ip.length * 8);
        long length = CNumbers.base0(text.substring(slash + 1), ip.length * 8);
        if (length < 0) throw new IllegalArgumentException("\"" + text + "\" is not a valid IP address with optional /prefix");
        return new IpPrefix(ip, (int) length);
    }

    private static IllegalArgumentException invalid(String text) {
        return new IllegalArgumentException("\"" + text + "\" is not a valid IP prefix");
    }
}
