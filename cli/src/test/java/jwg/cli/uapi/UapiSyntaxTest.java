package jwg.cli.uapi;

import jwg.net.IpPrefix;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.net.Inet6Address;
import java.net.InetSocketAddress;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Addresses written as Go's netip writes them (wireguard-go's `get`), and read back. */
class UapiSyntaxTest {
    @ParameterizedTest
    @CsvSource({
            "10.0.0.1, 10.0.0.1",
            "::, ::",
            "::1, ::1",
            "2001:db8::1, 2001:db8::1",
            "2001:db8:0:0:1:0:0:1, 2001:db8::1:0:0:1",
            "2001:0:0:1:0:0:0:1, 2001:0:0:1::1",
            "1:0:2:3:4:5:6:7, 1:0:2:3:4:5:6:7",
            "fd00:0:0:0:0:0:0:0, fd00::",
            "::ffff:192.0.2.1, ::ffff:192.0.2.1",
            "::1.2.3.4, ::102:304",
            "FE80::ABCD, fe80::abcd",
    })
    void addressesAsNetipWritesThem(String in, String out) throws Exception {
        byte[] a = in.indexOf(':') >= 0 ? jwg.config.IpLiterals.parseV6(in) : jwg.config.IpLiterals.parseV4(in);
        assertEquals(out, UapiSyntax.address(a));
    }

    @ParameterizedTest
    @CsvSource({
            "192.0.2.1:51820, 192.0.2.1:51820",
            "[2001:db8::1]:1, [2001:db8::1]:1",
            "[fe80::1%3]:51820, [fe80::1%3]:51820",
    })
    void endpointsRoundTrip(String in, String out) throws Exception {
        assertEquals(out, UapiSyntax.endpoint(UapiSyntax.endpoint(in)));
    }

    @ParameterizedTest
    @CsvSource({"10.1.2.3/8, 10.1.2.3/8", "fd00::/64, fd00::/64", "0.0.0.0/0, 0.0.0.0/0", "::/0, ::/0"})
    void prefixesRoundTrip(String in, String out) throws Exception {
        assertEquals(out, UapiSyntax.prefix(UapiSyntax.prefix(in)));
    }

    /** wireguard-go (netip.ParseAddrPort) keeps it IPv6 and reports it as given, as the kernel does. */
    @org.junit.jupiter.api.Test
    void anIpv4MappedEndpointStaysIpv6() throws Exception {
        InetSocketAddress e = UapiSyntax.endpoint("[::ffff:192.0.2.1]:7");
        assertInstanceOf(Inet6Address.class, e.getAddress());
        assertArrayEquals(jwg.config.IpLiterals.parseV6("::ffff:192.0.2.1"), e.getAddress().getAddress());
        assertEquals(7, e.getPort());
        assertEquals("[::ffff:192.0.2.1]:7", UapiSyntax.endpoint(e));
        assertEquals("[::ffff:192.0.2.1]:7", UapiSyntax.endpoint(UapiSyntax.endpoint("[::ffff:c000:201]:7")));
        assertEquals("::ffff:192.0.2.1/128", UapiSyntax.prefix(new IpPrefix(jwg.config.IpLiterals.parseV6("::ffff:192.0.2.1"), 128)));
    }
}
