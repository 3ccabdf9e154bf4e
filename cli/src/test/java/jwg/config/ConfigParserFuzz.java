package jwg.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;

/**
 * Fuzz target (for jwg.cli.CliFuzzTest) of the wg-quick file parser, on raw text and on files made
 * line by line from the fuzzer's choices among headers, keys (in any case, with spaces inside) and
 * values both good and bad, with comments, CRLF and stray characters. Checked: nothing but
 * {@link ConfigException} escapes; its message is one line that starts with the file's name and
 * holds no private or preshared key given in the file; warnings are single lines too; a file that
 * is accepted is written back ({@link ConfigWriter}) to text that parses to an equal configuration.
 */
public final class ConfigParserFuzz {
    private ConfigParserFuzz() {}

    private static final String SECRET = Fixtures.K1;
    private static final String PSK = Fixtures.PSK;
    private static final String[] HEADERS = {"[Interface]", "[Peer]", "[ Interface ]", "[peer]", "[Interface", "[Other]"};
    private static final String[] KEYS = {
        "PrivateKey", "ListenPort", "FwMark", "PublicKey", "PresharedKey", "AllowedIPs", "Endpoint",
        "PersistentKeepalive", "Address", "DNS", "MTU", "Table", "PreUp", "PostUp", "PreDown", "PostDown",
        "SaveConfig", "privatekey", "Listen Port", "ALLOWEDIPS", "Unknown"};
    private static final String[] VALUES = {
        SECRET, PSK, Fixtures.K2, Fixtures.K3, Fixtures.P1, Fixtures.P2, "", "0", "51820", "65536", "-1", "0x1f",
        "off", "auto", "1234", "true", "false", "10.0.0.1/24", "fd00::1/64", "10.0.0.0/8, ::/0", "0.0.0.0/0",
        "10.0.0.256/8", "192.168.1.1:51820", "[fd00::1]:51820", "[fe80::1%eth0]:1", "host.invalid:1", "1.1.1.1",
        "1.1.1.1, example.com", "1420", "67", "echo hi # not a comment", "25", "= =", "AAAA", "1.2.3.4/33",
        "10.0.0.1 , 10.0.0.2", "::ffff:1.2.3.4/128", "0x", "4294967296", "ZmFrZQ=="};

    public static void run(FuzzedDataProvider data) {
        String text = data.consumeBoolean() ? generated(data) : data.consumeRemainingAsString();
        List<String> warnings = new ArrayList<>();
        WgQuickConfig config;
        try {
            config = ConfigParser.parse("fuzz0.conf", new StringReader(text), warnings::add);
        } catch (ConfigException e) {
            String m = e.getMessage();
            assertTrue(m.startsWith("fuzz0.conf"), m);
            assertFalse(m.contains("\n") || m.contains("\r"), "one line: " + m);
            assertFalse(m.contains(SECRET.substring(0, 43)), "the private key in " + m);
            assertFalse(m.contains(PSK.substring(0, 43)), "the preshared key in " + m);
            return;
        }
        for (String w : warnings) assertFalse(w.contains("\n") || w.contains(SECRET) || w.contains(PSK), w);
        String written = ConfigWriter.write(config);
        WgQuickConfig again;
        try {
            again = ConfigParser.parse("fuzz0.conf", new StringReader(written));
        } catch (ConfigException e) {
            throw new AssertionError("what ConfigWriter wrote does not parse: " + e.getMessage() + "\n" + written, e);
        }
        assertEquals(config, again, "written back and read again:\n" + written);
    }

    /** Lines of headers and key = value pairs, in any order, each perhaps spoiled a little. */
    private static String generated(FuzzedDataProvider data) {
        StringBuilder out = new StringBuilder();
        for (int n = data.consumeInt(0, 30); n > 0; n--) {
            String line = switch (data.consumeInt(0, 9)) {
                case 0 -> data.pickValue(HEADERS);
                case 1 -> "# " + data.consumeString(20);
                case 2 -> data.consumeString(40);
                default -> data.pickValue(KEYS) + data.pickValue(new String[] {" = ", "=", " =", "\t=\t", " : "})
                        + (data.consumeInt(0, 5) == 0 ? data.consumeString(30) : data.pickValue(VALUES));
            };
            if (data.consumeInt(0, 15) == 0) line = line + " #" + data.consumeString(5);
            if (data.consumeInt(0, 15) == 0 && !line.isEmpty()) {
                int at = data.consumeInt(0, line.length() - 1);
                line = line.substring(0, at) + data.consumeCharNoSurrogates() + line.substring(at + 1);
            }
            out.append(line).append(data.consumeInt(0, 7) == 0 ? "\r\n" : "\n");
        }
        return out.toString();
    }
}
