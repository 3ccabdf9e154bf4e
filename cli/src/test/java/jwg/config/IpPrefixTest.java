package jwg.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class IpPrefixTest {
    @ParameterizedTest
    @CsvSource({"10.0.0.1, 10.0.0.1/32", "10.0.0.1/24, 10.0.0.1/24", "10.0.0.0/024, 10.0.0.0/24", "0.0.0.0/0, 0.0.0.0/0",
            "fd00::1, fd00::1/128", "FD00::/8, fd00::/8", "::/0, ::/0", "::ffff:10.0.0.1/128, ::ffff:10.0.0.1/128"})
    void parsesWgSyntax(String text, String printed) {
        assertEquals(printed, IpPrefix.parse(text).toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.0.0.0/33", "fd00::/129", "10.0.0.300/24", "10.0.0.1/", "10.0.0.1/+8", "10.0.0.1/-1", "10.0.0.1/0x8",
            "10.0.0.1/24/1", "10.0.0/8", "", "/8", "fd00::1%lo/64", "host.example/32"})
    void refusesWhatWgRefuses(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> IpPrefix.parse(text));
        assertEquals("\"" + text + "\" is not a valid IP prefix", e.getMessage());
    }

    @Test
    void interfaceAddressesTakeIproute2PrefixNumbers() {
        assertEquals(24, IpPrefix.parseInterfaceAddress("10.0.0.1/0x18").length());
        assertEquals(24, IpPrefix.parseInterfaceAddress("10.0.0.1/030").length(), "octal, as strtoul base 0 reads it");
        assertEquals(128, IpPrefix.parseInterfaceAddress("fd00::1").length());
        assertThrows(IllegalArgumentException.class, () -> IpPrefix.parseInterfaceAddress("10.0.0.1/33"));
    }

    @Test
    void masking() {
        IpPrefix p = IpPrefix.parse("10.1.2.3/20");
        assertTrue(p.hasHostBits());
        assertEquals(IpPrefix.parse("10.1.0.0/20"), p.masked());
        assertFalse(p.masked().hasHostBits());
        assertEquals(IpPrefix.parse("fd00:1:2:2::/63"), IpPrefix.parse("fd00:1:2:3:4:5:6:7/63").masked().masked());
        assertEquals(IpPrefix.parse("::/0"), IpPrefix.parse("fd00::1/0").masked());
    }

    @Test
    void contains() throws Exception {
        IpPrefix net = IpPrefix.parse("10.1.0.0/20");
        assertTrue(net.contains(InetAddress.getByName("10.1.15.255")));
        assertFalse(net.contains(InetAddress.getByName("10.1.16.0")));
        assertFalse(net.contains(InetAddress.getByName("::ffff:10.1.0.1").getAddress().length == 4
                ? new byte[16] : InetAddress.getByName("::1").getAddress()), "other family");
        assertTrue(IpPrefix.parse("0.0.0.0/0").contains(InetAddress.getByName("192.0.2.1")));
        assertTrue(IpPrefix.parse("fd00::/8").contains(IpPrefix.parse("fd12::/16")));
        assertFalse(IpPrefix.parse("fd12::/16").contains(IpPrefix.parse("fd00::/8")));
        assertTrue(IpPrefix.parse("10.0.0.1/32").contains(IpPrefix.parse("10.0.0.1/32")));
    }

    @Test
    void valueSemantics() throws Exception {
        byte[] raw = {10, 0, 0, 1};
        IpPrefix p = new IpPrefix(raw, 32);
        raw[0] = 11;
        p.address()[0] = 12;
        assertEquals(IpPrefix.parse("10.0.0.1/32"), p);
        assertEquals(IpPrefix.parse("10.0.0.1/32").hashCode(), p.hashCode());
        assertTrue(p.isIpv4());
        assertEquals(InetAddress.getByName("10.0.0.1"), p.inetAddress());
        assertEquals(InetAddress.getByName("fd00::1"), IpPrefix.parse("fd00::1/64").inetAddress());
        assertThrows(IllegalArgumentException.class, () -> new IpPrefix(new byte[4], 33));
        assertThrows(IllegalArgumentException.class, () -> new IpPrefix(new byte[5], 0));
    }
}
