package jwg.datapath;

import jwg.net.IpPrefix;

/**
 * Adds a prefix to a peer's allowed IPs (taking it from whichever peer had it), or removes it if
 * the peer has it (`allowed_ip=-PREFIX` in the configuration protocol).
 */
public record AllowedIpChange(IpPrefix prefix, boolean remove) {
    public static AllowedIpChange add(IpPrefix prefix) {
        return new AllowedIpChange(prefix, false);
    }

    public static AllowedIpChange remove(IpPrefix prefix) {
        return new AllowedIpChange(prefix, true);
    }

    @Override public String toString() {
        return (remove ? "-" : "") + prefix;
    }
}
