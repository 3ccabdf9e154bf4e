package jwg.routing;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PrefixTest {

    @Test
    void parsesWritesAndMasks() {
        Prefix v4 = Prefix.parse("10.8.3.1/16");
        assertEquals("10.8.3.1/16", v4.toString());
        assertEquals("10.8.0.0/16", v4.masked().toString());
        assertFalse(v4.isIpv6());
        Prefix v6 = Prefix.parse("FD00:0:0:0::1:2/64");
        assertEquals("fd00::1:2/64", v6.toString());
        assertEquals("fd00::/64", v6.masked().toString());
        assertTrue(v6.isIpv6());
        assertEquals("10.9.0.1/32", Prefix.parse("10.9.0.1").toString());
        assertEquals("::/0", Prefix.parse("::/0").toString());
        assertEquals("0.0.0.0/0", Prefix.parse("0.0.0.0/0").masked().toString());
        assertEquals(Prefix.parse("10.8.0.0/16"), v4.masked());
        assertEquals(Prefix.parse("10.8.0.0/16").hashCode(), v4.masked().hashCode());
        assertNotEquals(v4, v4.masked());
        assertEquals("10.8.2.0/23", Prefix.parse("10.8.3.255/23").masked().toString());
        assertEquals("::ffff:10.0.0.1/128", Prefix.parse("::ffff:10.0.0.1/128").toString(), "IPv4-mapped stays IPv6");
    }

    @Test
    void rejectsWhatIsNoPrefix() {
        assertThrows(IllegalArgumentException.class, () -> Prefix.parse("10.0.0.1/33"));
        assertThrows(IllegalArgumentException.class, () -> Prefix.parse("::/129"));
        assertThrows(IllegalArgumentException.class, () -> Prefix.parse("example.com/24"));
        assertThrows(IllegalArgumentException.class, () -> Prefix.parse("10.0.0.1/x"));
        assertThrows(IllegalArgumentException.class, () -> new Prefix(new byte[5], 8));
    }
}
