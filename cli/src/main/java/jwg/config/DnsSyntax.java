package jwg.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.regex.Pattern;

/** wg-quick's DNS entries, each a server address or a search domain, read into routing's Dns. */
final class DnsSyntax {
    /** wg-quick's test for a server: only digits and dots, or containing ':'. */
    private static final Pattern SERVER = Pattern.compile("^[0-9.]+$|:");

    private DnsSyntax() {}

    /** Whether wg-quick takes this DNS entry for a server address (else it is a search domain). */
    static boolean isServer(String entry) {
        return SERVER.matcher(entry).find();
    }

    /** A server entry as an address: an IPv4 or IPv6 literal (inet_pton; no %scope). */
    static InetAddress parseServer(String entry) {
        byte[] ip = IpLiterals.parse(entry);
        if (ip == null) {
            throw new IllegalArgumentException("\"" + entry + "\" is not a valid " + (entry.indexOf(':') >= 0 ? "IPv6" : "IPv4")
                    + " address for a DNS server");
        }
        try {
            return InetAddress.getByAddress(ip);
        } catch (UnknownHostException e) {
            throw new AssertionError(e); // only thrown for a wrong length
        }
    }
}
