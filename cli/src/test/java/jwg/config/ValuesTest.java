package jwg.config;

import jwg.routing.Table;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ValuesTest {
    @ParameterizedTest
    @CsvSource({"0, 0", "51820, 51820", "65535, 65535", "0080, 80"})
    void listenPort(String text, int port) {
        assertEquals(port, Values.listenPort(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"65536", "-1", "+80", "0x50", "http", "99999999999999999999999"})
    void badListenPort(String text) {
        assertThrows(IllegalArgumentException.class, () -> Values.listenPort(text));
    }

    @ParameterizedTest
    @CsvSource({"off, 0", "OFF, 0", "0, 0", "010, 10", "0x10, 16", "0xffffffff, 4294967295", "4294967295, 4294967295", "0xAbC, 2748"})
    void fwMark(String text, long mark) {
        assertEquals(mark, Values.fwMark(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"0X10", "0x", "0xg", "4294967296", "0x100000000", "-1", "on", "x10"})
    void badFwMark(String text) {
        assertThrows(IllegalArgumentException.class, () -> Values.fwMark(text));
    }

    @ParameterizedTest
    @CsvSource({"off, 0", "Off, 0", "0, 0", "25, 25", "0025, 25", "65535, 65535"})
    void keepalive(String text, int seconds) {
        assertEquals(seconds, Values.persistentKeepalive(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"65536", "-5", "25s", "never", "0x19"})
    void badKeepalive(String text) {
        assertThrows(IllegalArgumentException.class, () -> Values.persistentKeepalive(text));
    }

    @ParameterizedTest
    @CsvSource({"1420, 1420", "68, 68", "65535, 65535", "0x58c, 1420", "+1420, 1420", "02614, 1420"})
    void mtu(String text, int mtu) {
        assertEquals(mtu, Values.mtu(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"67", "65536", "0", "-1420", "1420abc", "09", "auto", "99999999999999999999999"})
    void badMtu(String text) {
        assertThrows(IllegalArgumentException.class, () -> Values.mtu(text));
    }

    @Test
    void saveConfig() {
        assertEquals(true, Values.saveConfig("TRUE"));
        assertEquals(false, Values.saveConfig("false"));
        assertThrows(IllegalArgumentException.class, () -> Values.saveConfig("1"));
        assertThrows(IllegalArgumentException.class, () -> Values.saveConfig(""));
    }

    @Test
    void table() {
        assertEquals(new Table.Auto(), TableSyntax.parse(""));
        assertEquals(new Table.Auto(), TableSyntax.parse("auto"));
        assertEquals(new Table.Off(), TableSyntax.parse("off"));
        assertEquals(new Table.Id(1234), TableSyntax.parse("1234"));
        assertEquals(new Table.Id(0x10), TableSyntax.parse("0x10"));
        assertEquals(new Table.Id(0xffff_ffffL), TableSyntax.parse("4294967295"));
        assertEquals(new Table.Name("main"), TableSyntax.parse("main"));
        assertEquals(new Table.Name("vpn_out"), TableSyntax.parse("vpn_out"));
        for (String bad : new String[] {"Off", "AUTO", "4294967296", "12abc", "my table", "-1"}) {
            assertThrows(IllegalArgumentException.class, () -> TableSyntax.parse(bad), bad);
        }
        assertEquals("1234", new Table.Id(1234).toString());
        assertEquals("off", new Table.Off().toString());
    }
}
