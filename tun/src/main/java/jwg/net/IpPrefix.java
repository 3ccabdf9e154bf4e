package jwg.net;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/**
 * An IPv4 or IPv6 address with a prefix length, e.g. {@code 10.0.0.2/24}: an interface Address
 * (host bits kept as written), an AllowedIPs entry or a route (masked: {@link #masked}, as the
 * kernel and wireguard-go store allowed IPs). jwg's one such type: the config parser makes them,
 * routing adds them as addresses and routes, the datapath's allowed-IPs table takes and lists them.
 * {@link #toString} writes {@code address/length} as inet_ntop does ({@link IpText}), which is what
 * ip, wg and wg-quick print.
 */
public record IpPrefix(byte[] address, int length) {
    public IpPrefix {
        if (address.length != 4 && address.length != 16) {
            throw new IllegalArgumentException("an IP address has 4 or 16 bytes, not " + address.length);
        }
        if (length < 0 || length > address.length * 8) {
            throw new IllegalArgumentException("prefix length " + length + " out of range for " + IpText.format(address));
        }
        address = address.clone();
    }

    public static IpPrefix of(InetAddress address, int length) {
        return new IpPrefix(address.getAddress(), length);
    }

    /** The whole address: /32 or /128. */
    public static IpPrefix host(InetAddress address) {
        byte[] raw = address.getAddress();
        return new IpPrefix(raw, raw.length * 8);
    }

    /**
     * "10.0.0.2/24", "fd00::/64"; without a length the whole address (/32, /128). Java's reading of
     * the address (IPv4-mapped IPv6 kept as IPv6): for code and tests. A wg-quick file's or wg's
     * exact syntax is the config parser's (cli's PrefixSyntax).
     */
    public static IpPrefix parse(String text) {
        int slash = text.indexOf('/');
        String host = slash < 0 ? text : text.substring(0, slash);
        if (!host.matches("[0-9.]+|[0-9a-fA-F:.]*:[0-9a-fA-F:.]*")) {
            throw new IllegalArgumentException("not an IP address: " + host);
        }
        try {
            byte[] raw = InetAddress.getByName(host).getAddress();
            if (raw.length == 4 && host.contains(":")) { // ::ffff:a.b.c.d, which Java turns into IPv4
                byte[] mapped = new byte[16];
                mapped[10] = (byte) 0xff;
                mapped[11] = (byte) 0xff;
                System.arraycopy(raw, 0, mapped, 12, 4);
                raw = mapped;
            }
            return new IpPrefix(raw, slash < 0 ? raw.length * 8 : Integer.parseInt(text.substring(slash + 1)));
        } catch (UnknownHostException | NumberFormatException e) {
            throw new IllegalArgumentException("not an IP prefix: " + text);
        }
    }

    /** A copy. */
    @Override
    public byte[] address() {
        return address.clone();
    }

    public boolean isIpv4() {
        return address.length == 4;
    }

    public boolean isIpv6() {
        return address.length == 16;
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
        for (int i = 0; i < out.length; i++) out[i] &= (byte) maskByte(i);
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

    @Override
    public String toString() {
        return IpText.format(address) + "/" + length;
    }
}
