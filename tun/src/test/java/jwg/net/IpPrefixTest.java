package jwg.net;

import java.net.InetAddress;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IpPrefixTest {

    @Test
    void parsesWritesAndMasks() {
        IpPrefix v4 = IpPrefix.parse("10.8.3.1/16");
        assertEquals("10.8.3.1/16", v4.toString());
        assertEquals("10.8.0.0/16", v4.masked().toString());
        assertFalse(v4.isIpv6());
        IpPrefix v6 = IpPrefix.parse("FD00:0:0:0::1:2/64");
        assertEquals("fd00::1:2/64", v6.toString());
        assertEquals("fd00::/64", v6.masked().toString());
        assertTrue(v6.isIpv6());
        assertEquals("10.9.0.1/32", IpPrefix.parse("10.9.0.1").toString());
        assertEquals("::/0", IpPrefix.parse("::/0").toString());
        assertEquals("0.0.0.0/0", IpPrefix.parse("0.0.0.0/0").masked().toString());
        assertEquals(IpPrefix.parse("10.8.0.0/16"), v4.masked());
        assertEquals(IpPrefix.parse("10.8.0.0/16").hashCode(), v4.masked().hashCode());
        assertNotEquals(v4, v4.masked());
        assertEquals("10.8.2.0/23", IpPrefix.parse("10.8.3.255/23").masked().toString());
        assertEquals("::ffff:10.0.0.1/128", IpPrefix.parse("::ffff:10.0.0.1/128").toString(), "IPv4-mapped stays IPv6");
    }

    @Test
    void rejectsWhatIsNoPrefix() {
        assertThrows(IllegalArgumentException.class, () -> IpPrefix.parse("10.0.0.1/33"));
        assertThrows(IllegalArgumentException.class, () -> IpPrefix.parse("::/129"));
        assertThrows(IllegalArgumentException.class, () -> IpPrefix.parse("example.com/24"));
        assertThrows(IllegalArgumentException.class, () -> IpPrefix.parse("10.0.0.1/x"));
        assertThrows(IllegalArgumentException.class, () -> new IpPrefix(new byte[5], 8));
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
