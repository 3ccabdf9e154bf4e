package jwg.config;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EndpointTest {
    @ParameterizedTest
    @CsvSource({"192.0.2.1:51820, 192.0.2.1, 51820, 192.0.2.1:51820",
            "[2001:db8::1]:51820, 2001:db8::1, 51820, [2001:db8::1]:51820",
            "2001:db8::1:51820, 2001:db8::1, 51820, [2001:db8::1]:51820",
            "[fe80::1%eth0]:1, fe80::1%eth0, 1, [fe80::1%eth0]:1",
            "vpn.example.com:0, vpn.example.com, 0, vpn.example.com:0",
            "[vpn.example.com]:65535, vpn.example.com, 65535, vpn.example.com:65535",
            "127.1:00051820, 127.1, 51820, 127.1:51820"})
    void parsesWgSyntax(String text, String host, int port, String printed) {
        Endpoint e = Endpoint.parse(text);
        assertEquals(new Endpoint(host, port), e);
        assertEquals(printed, e.toString());
        assertEquals(e, Endpoint.parse(e.toString()));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "vpn.example.com|\"vpn.example.com\" has no :port",
            "vpn.example.com:|\"vpn.example.com:\" has no :port",
            ":51820|\":51820\" has no host",
            "[]:51820|\"[]:51820\" has no host",
            "[::1|\"[::1\" has no closing ']'",
            "[::1]|\"[::1]\" has no :port after ']'",
            "[::1]:|\"[::1]:\" has no :port after ']'",
            "[::1]x51820|\"[::1]x51820\" has no :port after ']'",
            "1.2.3.4:65536|\"65536\" is not a port number (0-65535)",
            "1.2.3.4:-1|\"-1\" is not a port number (0-65535)",
            "1.2.3.4:domain|\"domain\" is not a port number (0-65535)",
            "10.0.0.300:1|\"10.0.0.300\" is not a valid IPv4 address",
            "[fe80::zz]:1|\"fe80::zz\" is not a valid IPv6 address",
            "[fe80::1%]:1|\"fe80::1%\" is not a valid IPv6 address"})
    void refusals(String text, String message) {
        assertEquals(message, assertThrows(IllegalArgumentException.class, () -> Endpoint.parse(text)).getMessage());
    }

    @Test
    void resolvesLiteralsWithoutLookup() throws Exception {
        assertEquals(new InetSocketAddress(InetAddress.getByName("192.0.2.1"), 51820), Endpoint.parse("192.0.2.1:51820").resolve());
        assertEquals(new InetSocketAddress(InetAddress.getByName("8.0.0.1"), 1), Endpoint.parse("010.0.0.1:1").resolve(),
                "a leading 0 is octal for getaddrinfo");
        assertEquals(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 2), Endpoint.parse("127.1:2").resolve());
        assertEquals(new InetSocketAddress(InetAddress.getByName("2001:db8::1"), 3), Endpoint.parse("[2001:db8::1]:3").resolve());
    }

    /** getaddrinfo gives wg an IPv6 address for it, which the kernel and wireguard-go keep and report as given. */
    @Test
    void anIpv4MappedLiteralStaysIpv6() throws Exception {
        InetSocketAddress e = Endpoint.parse("[::ffff:192.0.2.1]:9").resolve();
        assertInstanceOf(Inet6Address.class, e.getAddress());
        assertArrayEquals(IpLiterals.parseV6("::ffff:192.0.2.1"), e.getAddress().getAddress());
        assertEquals(9, e.getPort());
    }
}
