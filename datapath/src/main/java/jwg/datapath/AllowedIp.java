package jwg.datapath;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** One allowed-IPs prefix: an IPv4 (4 bytes) or IPv6 (16 bytes) address and a prefix length. */
public record AllowedIp(byte[] address, int bits) {
    public AllowedIp {
        if (address.length != 4 && address.length != 16) throw new IllegalArgumentException("address must be 4 or 16 bytes");
        if (bits < 0 || bits > address.length * 8) throw new IllegalArgumentException("prefix length out of range: " + bits);
        address = address.clone();
    }

    @Override public byte[] address() { return address.clone(); }

    @Override public boolean equals(Object o) {
        return o instanceof AllowedIp a && a.bits == bits && java.util.Arrays.equals(a.address, address);
    }

    @Override public int hashCode() { return java.util.Arrays.hashCode(address) * 31 + bits; }

    @Override public String toString() {
        try {
            return InetAddress.getByAddress(address).getHostAddress() + "/" + bits;
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }
}
