package jwg.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ConfigLocatorTest {
    @TempDir
    Path dir;

    private String message(String argument) {
        return assertThrows(ConfigException.class, () -> ConfigLocator.locate(argument, dir)).getMessage();
    }

    @Test
    void aBareNameIsLookedUpInTheDirectory() throws Exception {
        Path file = Files.writeString(dir.resolve("wg0.conf"), "");
        assertEquals(file, ConfigLocator.locate("wg0", dir));
        assertEquals("`/etc/wireguard/jwg-no-such.conf' does not exist",
                assertThrows(ConfigException.class, () -> ConfigLocator.locate("jwg-no-such")).getMessage());
    }

    @Test
    void aBareNameEndingInConfIsStillAName() throws Exception {
        Files.writeString(dir.resolve("wg0.conf"), "");
        assertEquals("`" + dir.resolve("wg0.conf.conf") + "' does not exist (for a file in the current directory, write ./wg0.conf)",
                message("wg0.conf"));
    }

    @Test
    void aPathIsTakenAsItIs() throws Exception {
        Path file = Files.writeString(dir.resolve("home-vpn.conf"), "");
        assertEquals(file, ConfigLocator.locate(file.toString(), dir));
        Path link = Files.createSymbolicLink(dir.resolve("wg1.conf"), file);
        assertEquals(link, ConfigLocator.locate(link.toString(), dir), "not resolved: the name is the link's");
        assertEquals("wg1", ConfigLocator.interfaceName(link.toString()));
    }

    @Test
    void missingFile() {
        assertEquals("`" + dir.resolve("wg9.conf") + "' does not exist", message("wg9"));
        assertEquals("`" + dir.resolve("x/wg9.conf") + "' does not exist", message(dir.resolve("x/wg9.conf").toString()));
        assertEquals("`' does not exist", message(""));
    }

    @ParameterizedTest
    @ValueSource(strings = {"sixteen-chars-xx.conf", "wg 0.conf", "wg@0.conf", "wg0.txt", "wg0.conf.bak", ".conf", "wg0"})
    void theFileNameMustBeAnInterfaceNameDotConf(String name) throws Exception {
        Path sub = Files.createDirectories(dir.resolve("sub"));
        Path file = Files.writeString(sub.resolve(name), "");
        assertEquals("`" + file + "': the config file must be a valid interface name (1-15 of a-z A-Z 0-9 _ = + . -), followed by .conf",
                message(file.toString()));
    }

    @ParameterizedTest
    @CsvSource({"wg0.conf, wg0", "/etc/wireguard/wg0.conf, wg0", "./a/b/fifteen-chars-x.conf, fifteen-chars-x", "x/a.b=c+d_e.conf, a.b=c+d_e",
            "x/wg0.conf.conf, wg0.conf"})
    void interfaceNames(String file, String name) throws Exception {
        assertEquals(name, ConfigLocator.interfaceName(file));
    }
}
