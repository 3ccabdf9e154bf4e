package jwg.config;

import jwg.net.IpText;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.net.InetAddress;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class IpLiteralsTest {
    @ParameterizedTest
    @ValueSource(strings = {"0.0.0.0", "10.0.0.1", "255.255.255.255", "192.168.100.200"})
    void validIpv4(String text) throws Exception {
        assertArrayEquals(InetAddress.getByName(text).getAddress(), IpLiterals.parseV4(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "1.2.3", "1.2.3.4.", "1.2.3.4.5", "010.0.0.1", "1.2.3.256", "1..2.3", ".1.2.3", "1.2.3.4 ", "a.b.c.d", "127.1"})
    void invalidIpv4ForInetPton(String text) {
        assertNull(IpLiterals.parseV4(text));
    }

    @ParameterizedTest
    @CsvSource({"::, ::", "::1, ::1", "1::, 1::", "2001:DB8::1, 2001:db8::1", "fd00:0:0:0:0:0:0:1, fd00::1",
            "1:0:0:2:0:0:0:3, 1:0:0:2::3", "1:0:2:0:3:0:4:0, 1:0:2:0:3:0:4:0", "::ffff:1.2.3.4, ::ffff:1.2.3.4",
            "::1.2.3.4, ::1.2.3.4", "0:0:0:0:0:0:0:0, ::", "1:2:3:4:5:6:7::, 1:2:3:4:5:6:7:0", "::2:3:4:5:6:7:8, 0:2:3:4:5:6:7:8"})
    void ipv6ParsesAndPrintsLikeGlibc(String text, String printed) throws Exception {
        byte[] bytes = IpLiterals.parseV6(text);
        assertArrayEquals(InetAddress.getByName(text).getAddress().length == 16 ? InetAddress.getByName(text).getAddress() : bytes, bytes);
        assertEquals(printed, IpText.format(bytes));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", ":", ":1", "1:", ":::", "1::2::3", "12345::", "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7:8::", "::g",
            "fe80::1%lo", "[::1]", "1.2.3.4", "::1.2.3", "::1.2.3.4:5", "1:2:3:4:5:6:7:1.2.3.4"})
    void invalidIpv6(String text) {
        assertNull(IpLiterals.parseV6(text));
    }

    @ParameterizedTest
    @CsvSource({"127.1, 127.0.0.1", "010.0.0.1, 8.0.0.1", "10.1.2, 10.1.0.2", "3232235777, 192.168.1.1", "0, 0.0.0.0", "1.2.3.4, 1.2.3.4"})
    void numericIpv4AsGetaddrinfoReadsIt(String text, String address) {
        assertEquals(address, IpText.format(IpLiterals.parseV4Numeric(text)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.0.0.300", "1.2.3.4.5", "09.1.1.1", "1..1", "1.2.3.", "4294967296", "1.16777216"})
    void invalidNumericIpv4(String text) {
        assertNull(IpLiterals.parseV4Numeric(text));
    }
}
