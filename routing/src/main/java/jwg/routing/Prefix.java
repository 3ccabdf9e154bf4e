package jwg.routing;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/**
 * An IPv4 or IPv6 address with a prefix length: an interface Address (host bits kept) or an
 * AllowedIPs entry. {@link #toString} writes it as {@code ip} and {@code wg} do (inet_ntop).
 */
public record Prefix(byte[] address, int length) {
    public Prefix {
        if (address.length != 4 && address.length != 16) {
            throw new IllegalArgumentException("an IP address has 4 or 16 bytes, not " + address.length);
        }
        if (length < 0 || length > address.length * 8) {
            throw new IllegalArgumentException("prefix length " + length + " out of range for " + IpText.format(address));
        }
        address = address.clone();
    }

    public static Prefix of(InetAddress address, int length) {
        return new Prefix(address.getAddress(), length);
    }

    /** "10.0.0.2/24", "fd00::/64"; without a length the whole address (/32, /128). */
    public static Prefix parse(String text) {
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
            return new Prefix(raw, slash < 0 ? raw.length * 8 : Integer.parseInt(text.substring(slash + 1)));
        } catch (UnknownHostException | NumberFormatException e) {
            throw new IllegalArgumentException("not an IP prefix: " + text);
        }
    }

    @Override
    public byte[] address() {
        return address.clone();
    }

    public boolean isIpv6() {
        return address.length == 16;
    }

    public InetAddress inetAddress() {
        try {
            return InetAddress.getByAddress(address);
        } catch (UnknownHostException e) {
            throw new AssertionError(e); // only for a wrong length
        }
    }

    /** With the host bits cleared, as wg stores AllowedIPs. */
    public Prefix masked() {
        byte[] raw = address.clone();
        for (int bit = length; bit < raw.length * 8; bit++) {
            raw[bit / 8] &= (byte) ~(0x80 >>> (bit % 8));
        }
        return new Prefix(raw, length);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Prefix p && p.length == length && Arrays.equals(p.address, address);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(address) * 31 + length;
    }

    @Override
    public String toString() {
        return IpText.format(address) + "/" + length;
    }
}
