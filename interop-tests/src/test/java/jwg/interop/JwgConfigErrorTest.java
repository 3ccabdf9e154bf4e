package jwg.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import jwg.interop.fixture.ExecResult;
import jwg.interop.fixture.JwgProcess;
import jwg.interop.fixture.Netns;
import jwg.interop.fixture.WgKeys;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * jwg given a broken wg-quick file: exit status non-zero, exactly one line on stderr naming
 * {@code file:line: Key:}, no stack trace, and nothing created in the namespace.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class JwgConfigErrorTest {
    static final WgKeys.KeyPair KEYS = WgKeys.generate();
    static final String PEER = WgKeys.generate().publicKey();
    static Netns ns;

    @BeforeAll
    static void namespace() {
        ns = Netns.create("cfg");
    }

    @AfterAll
    static void deleteNamespace() {
        if (ns != null) {
            ns.close();
        }
    }

    /** A broken file, the line and key jwg must name. */
    static Stream<Arguments> brokenFiles() {
        String iface = "[Interface]\nPrivateKey = " + KEYS.privateKey() + "\n";
        String peer = "\n[Peer]\nPublicKey = " + PEER + "\n";
        return Stream.of(
                Arguments.of("bad AllowedIPs prefix", iface + "Address = 10.0.0.1/24\n" + peer + "AllowedIPs = 10.0.0.300/32\n",
                        7, "AllowedIPs"),
                Arguments.of("ListenPort out of range", iface + "ListenPort = 70000\n", 3, "ListenPort"),
                Arguments.of("unknown key", iface + "ListenPort = 51820\nFrobnicate = 1\n", 4, "Frobnicate"),
                Arguments.of("PrivateKey not a key", "[Interface]\nPrivateKey = notakey\n", 2, "PrivateKey"),
                Arguments.of("Endpoint without port", iface + peer + "AllowedIPs = 10.0.0.2/32\nEndpoint = 192.0.2.1\n",
                        7, "Endpoint"),
                Arguments.of("MTU not a number", iface + "MTU = abc\n", 3, "MTU"),
                Arguments.of("bad Address", iface + "Address = 10.0.0.1/33\n", 3, "Address"),
                Arguments.of("PersistentKeepalive too large",
                        iface + peer + "AllowedIPs = 10.0.0.2/32\nPersistentKeepalive = 70000\n", 7, "PersistentKeepalive"),
                Arguments.of("PresharedKey not a key", iface + peer + "PresharedKey = abc\nAllowedIPs = 10.0.0.2/32\n",
                        6, "PresharedKey"),
                Arguments.of("key outside any section", "PrivateKey = " + KEYS.privateKey() + "\n", 1, "PrivateKey"),
                Arguments.of("PublicKey of a peer not a key", iface + "\n[Peer]\nPublicKey = abc=\nAllowedIPs = 10.0.0.2/32\n",
                        5, "PublicKey"),
                Arguments.of("line without =", iface + "ListenPort 51820\n", 3, "ListenPort 51820"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokenFiles")
    void brokenFileIsRefusedWithOneLine(String what, String text, int line, String key) throws IOException {
        String ifName = JwgProcess.uniqueIfName();
        Path conf = ns.logDir().resolve(ifName + ".conf");
        Files.createDirectories(conf.getParent());
        Files.deleteIfExists(conf);
        Files.createFile(conf, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(conf, text);

        ExecResult r = ns.exec(Duration.ofSeconds(45), null, List.of(JwgProcess.launcher(),
                "-jar", JwgProcess.jar().toString(), conf.toString()));
        String all = r.stdout() + r.stderr();
        assertFalse(r.timedOut(), "jwg kept running on a broken file: " + r.describe());
        assertNotEquals(0, r.exitCode(), "exit status: " + r.describe());
        List<String> errLines = r.stderr().lines().filter(l -> !l.isBlank()).toList();
        assertEquals(1, errLines.size(), "exactly one line on stderr, got: " + r.stderr());
        String msg = errLines.getFirst();
        assertTrue(msg.contains(ifName + ".conf:" + line + ": " + key + ":"),
                "names file:line: key: (" + ifName + ".conf:" + line + ": " + key + ":): " + msg);
        assertFalse(all.contains("Exception") || all.contains("\tat "), "no stack trace: " + all);
        assertFalse(msg.contains(KEYS.privateKey()), "the message must not show the private key");
        assertEquals(List.of("lo"), links(), "nothing created in the namespace");
        assertFalse(Files.exists(Path.of("/var/run/wireguard", ifName + ".sock")), "no UAPI socket left behind");
    }

    private static List<String> links() {
        return ns.ip("-o", "link", "show").lines()
                .map(l -> l.replaceFirst("^\\d+:\\s*([^:@]+).*", "$1").strip()).toList();
    }
}
