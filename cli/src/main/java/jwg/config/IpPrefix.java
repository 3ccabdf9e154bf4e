package jwg.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/**
 * An IPv4 or IPv6 address with a prefix length, e.g. {@code 10.0.0.2/24}. Host bits are kept as
 * written (an interface Address needs them); {@link #masked()} clears them (AllowedIPs are stored
 * masked, as the kernel and wireguard-go do).
 */
public record IpPrefix(byte[] address, int length) {
    public IpPrefix {
        if (address.length != 4 && address.length != 16) throw new IllegalArgumentException("an IP address is 4 or 16 bytes");
        if (length < 0 || length > address.length * 8) throw new IllegalArgumentException("prefix length out of range: " + length);
        address = address.clone();
    }

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
    static IpPrefix parseInterfaceAddress(String text) {
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

    @Override
    public byte[] address() {
        return address.clone();
    }

    public boolean isIpv4() {
        return address.length == 4;
    }

    public InetAddress inetAddress() {
        try {
            return InetAddress.getByAddress(address);
        } catch (UnknownHostException e) {
            throw new AssertionError(e); // only thrown for a wrong length, excluded above
        }
    }

    /** This prefix with the host bits cleared: {@code 10.0.0.2/24} gives {@code 10.0.0.0/24}. */
    public IpPrefix masked() {
        byte[] out = address.clone();
        for (int i = 0; i < out.length; i++) out[i] &= maskByte(i);
        return new IpPrefix(out, length);
    }

    public boolean hasHostBits() {
        return !Arrays.equals(address, masked().address);
    }

    /** Whether the address (same family only) lies inside this prefix. */
    public boolean contains(byte[] other) {
        if (other.length != address.length) return false;
        for (int i = 0; i < address.length; i++) {
            if (((address[i] ^ other[i]) & maskByte(i)) != 0) return false;
        }
        return true;
    }

    public boolean contains(InetAddress other) {
        return contains(other.getAddress());
    }

    /** Whether every address of the other prefix lies inside this one. */
    public boolean contains(IpPrefix other) {
        return other.length >= length && contains(other.address);
    }

    private int maskByte(int index) {
        int bits = Math.clamp(length - 8L * index, 0, 8);
        return (0xff00 >> bits) & 0xff;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IpPrefix p && length == p.length && Arrays.equals(address, p.address);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(address) + length;
    }

    /** {@code address/length} as inet_ntop writes the address. */
    @Override
    public String toString() {
        return IpLiterals.format(address) + "/" + length;
    }
}
