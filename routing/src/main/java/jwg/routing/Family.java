package jwg.routing;

import jwg.net.IpPrefix;
import static jwg.sys.LibcConstants.AF_INET;
import static jwg.sys.LibcConstants.AF_INET6;

/** An address family with the words wg-quick uses for it: ip's -4/-6, nft's ip/ip6, iptables/ip6tables. */
enum Family {
    V4("-4", "ip", "iptables", AF_INET),
    V6("-6", "ip6", "ip6tables", AF_INET6);

    final String proto;
    final String pf;
    final String iptables;
    final int af;

    Family(String proto, String pf, String iptables, int af) {
        this.proto = proto;
        this.pf = pf;
        this.iptables = iptables;
        this.af = af;
    }

    /** wg-quick's test: an address with a ':' is IPv6. */
    static Family of(IpPrefix prefix) {
        return prefix.isIpv6() ? V6 : V4;
    }
}
