package jwg.config;

import jwg.routing.Table;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link WgQuickStrip} prints what `wg-quick strip` prints, byte for byte, on every fixture and on
 * files made for the corners of wg-quick's parse_options: comments wherever they are, hooks,
 * Table, SaveConfig, odd spacing and case, headers with spaces, keys of wg-quick outside
 * [Interface], CRLF, a last line without '\n', an empty file.
 */
class WgQuickStripTest {
    @TempDir
    static Path dir;

    @BeforeAll
    static void wgQuickRuns() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/wg-quick")), "wg-quick is not installed");
        Assumptions.assumeTrue(run(List.of("id", "-u")).out().strip().equals("0"), "wg-quick strip needs root");
    }

    static Map<String, String> corners() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("comments", "# leading comment\n[Interface] # on the header\nPrivateKey = " + Fixtures.K1 + " # after a key\n"
                + "#Address = 10.0.0.1/24\nAddress = 10.0.0.1/24 # the address\n   # indented comment\n\n[Peer]\n# in a peer\n"
                + "PublicKey = " + Fixtures.P1 + "\nAllowedIPs = 10.0.0.2/32#tight\n");
        m.put("hooks", "[Interface]\nPrivateKey = " + Fixtures.K1 + "\nPreUp = echo 'a=b' # c\npostup=iptables -A FORWARD -i %i -j ACCEPT\n"
                + "PreDown = true\n  PostDown   =   logger \"%i down\"  \n");
        m.put("table and saveconfig", "[Interface]\nPrivateKey = " + Fixtures.K1 + "\nTable = 1234\nSaveConfig = true\nMTU = 1380\nDNS = 1.1.1.1, example.com\n"
                + "[Peer]\nPublicKey = " + Fixtures.P1 + "\nAllowedIPs = 0.0.0.0/0\n");
        m.put("odd spacing and case", "\t[INTERFACE]  \n  privatekey=" + Fixtures.K1 + "\t\n\tADDRESS\t=\t10.0.0.1/24\t\ntable=off\n"
                + "saveconfig = FALSE\nListen Port = 51 820\n   \n\t\n[peer]\n  publickey =   " + Fixtures.P1 + "   \n");
        m.put("spaced header", "[ Interface ]\nPrivateKey = " + Fixtures.K1 + "\nAddress = 10.0.0.1/24\n");
        m.put("wg-quick keys in a peer", "[Interface]\nPrivateKey = " + Fixtures.K1 + "\n[Peer]\nPublicKey = " + Fixtures.P1
                + "\nAddress = 10.0.0.1/24\nDNS = 1.1.1.1\n[Interface]\nMTU = 1400\n");
        m.put("key without '='", "[Interface]\nAddress\nPrivateKey = " + Fixtures.K1 + "\nTable\n");
        m.put("crlf", "[Interface]\r\nPrivateKey = " + Fixtures.K1 + "\r\nAddress = 10.0.0.1/24\r\n\r\n[Peer]\r\nPublicKey = " + Fixtures.P1 + "\r\n");
        m.put("no final newline", "[Interface]\nPrivateKey = " + Fixtures.K1 + "\nAddress = 10.0.0.1/24");
        m.put("blank lines at the end", "[Interface]\nPrivateKey = " + Fixtures.K1 + "\n\n\n");
        m.put("empty", "");
        m.put("backslashes", "[Interface]\nPrivateKey = " + Fixtures.K1 + "\nPostUp = printf 'a\\tb\\n' \\\n");
        return m;
    }

    @TestFactory
    Stream<DynamicTest> stripsEveryFixtureAsWgQuickDoes() {
        return Fixtures.list("good").stream().map(name -> DynamicTest.dynamicTest(name, () -> same(Fixtures.text("good/" + name))));
    }

    @TestFactory
    Stream<DynamicTest> stripsTheCornersAsWgQuickDoes() {
        return corners().entrySet().stream().map(e -> DynamicTest.dynamicTest(e.getKey(), () -> same(e.getValue())));
    }

    @Test
    void aSaveConfigNeitherTrueNorFalseIsRefusedInWgQuicksWords() throws Exception {
        String text = "[Interface]\nPrivateKey = " + Fixtures.K1 + "\nSaveConfig = maybe # no\n";
        Result theirs = wgQuickStrip(text);
        assertEquals(1, theirs.status());
        ConfigException ours = assertThrows(ConfigException.class, () -> WgQuickStrip.strip(text));
        assertEquals(theirs.err().strip(), "wg-quick: " + ours.getMessage());
        // in [Peer] it is not wg-quick's key, so not checked
        same("[Interface]\nPrivateKey = " + Fixtures.K1 + "\n[Peer]\nSaveConfig = maybe\n");
    }

    private static void same(String text) throws Exception {
        Result theirs = wgQuickStrip(text);
        assertEquals(0, theirs.status(), theirs.err());
        assertEquals(theirs.out(), WgQuickStrip.strip(text));
    }

    record Result(int status, String out, String err) {}

    private static Result wgQuickStrip(String text) throws Exception {
        Path file = dir.resolve("wg0.conf");
        Files.writeString(file, text);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        return run(List.of("/usr/bin/wg-quick", "strip", file.toString()));
    }

    private static Result run(List<String> command) throws Exception {
        Path err = Files.createTempFile(dir, "err", ".txt");
        Process p = new ProcessBuilder(command).redirectInput(new File("/dev/null")).redirectError(err.toFile()).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("timed out: " + command);
        }
        return new Result(p.exitValue(), out, Files.readString(err));
    }
}
