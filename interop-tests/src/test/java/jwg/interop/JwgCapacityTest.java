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
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import jwg.interop.fixture.ExecResult;
import jwg.interop.fixture.JwgProcess;
import jwg.interop.fixture.Netns;
import jwg.interop.fixture.WgKeys;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * More peers than the heap holds (issue 11, "Bad input"): jwg with a 48 MiB heap, which holds
 * about 8,000 peers, given 20,000 in a wg-quick file or through `wg setconf`, refuses them with
 * one line and no OutOfMemoryError; the running device goes on unchanged and takes what fits.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class JwgCapacityTest {
    private static final List<String> SMALL_HEAP = List.of("-Xmx48m");
    private static final int TOO_MANY = 20_000;
    static Netns ns;

    @BeforeAll
    static void namespace() {
        ns = Netns.create("cap");
    }

    @AfterAll
    static void deleteNamespace() {
        if (ns != null) ns.close();
    }

    /** n [Peer] sections with random public keys, one /32 each. */
    private static String peers(int n) {
        StringBuilder b = new StringBuilder();
        byte[] key = new byte[32];
        for (int i = 0; i < n; i++) {
            ThreadLocalRandom.current().nextBytes(key);
            b.append("\n[Peer]\nPublicKey = ").append(Base64.getEncoder().encodeToString(key))
                    .append("\nAllowedIPs = 10.").append(i >> 16 & 0xff).append('.').append(i >> 8 & 0xff).append('.').append(i & 0xff)
                    .append("/32\n");
        }
        return b.toString();
    }

    private static Path privateFile(String name, String text) throws IOException {
        Path f = ns.logDir().resolve(name);
        Files.createDirectories(f.getParent());
        Files.deleteIfExists(f);
        Files.createFile(f, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(f, text);
        return f;
    }

    @Test
    void aFileWithMorePeersThanTheHeapHoldsIsRefusedWithOneLineBeforeAnythingIsMade() throws IOException {
        String ifName = JwgProcess.uniqueIfName();
        WgKeys.KeyPair keys = WgKeys.generate();
        Path conf = privateFile(ifName + ".conf", "[Interface]\nPrivateKey = " + keys.privateKey() + "\nAddress = 10.99.0.1/16\n" + peers(TOO_MANY));

        ExecResult r = ns.exec(Duration.ofSeconds(60), null, List.of(JwgProcess.launcher(),
                SMALL_HEAP.getFirst(), "-jar", JwgProcess.jar().toString(), conf.toString()));
        assertFalse(r.timedOut(), r.describe());
        assertNotEquals(0, r.exitCode(), r.describe());
        List<String> lines = r.stderr().lines().filter(l -> !l.isBlank()).toList();
        assertEquals(1, lines.size(), "one line: " + r.stderr());
        assertTrue(lines.getFirst().contains(ifName + ".conf: " + TOO_MANY + " peers with " + TOO_MANY + " allowed IPs need about "),
                lines.getFirst());
        assertFalse(r.stderr().contains("OutOfMemoryError") || r.stderr().contains("\tat "), r.stderr());
        assertFalse(r.stderr().contains(keys.privateKey()));
        assertFalse(ns.hasLink(ifName), "no interface made");
    }

    @Test
    void aSetWithMorePeersThanTheHeapHoldsGetsEnomemAndTheDeviceGoesOn() throws IOException {
        String ifName = JwgProcess.uniqueIfName();
        try (JwgProcess jwg = JwgProcess.startInterface(ns, ifName, Map.of(), List.of(), ifName, SMALL_HEAP)) {
            Path few = privateFile(ifName + "-few.conf", "[Interface]\nPrivateKey = " + WgKeys.generate().privateKey() + "\n" + peers(100));
            ns.execOk("wg", "setconf", ifName, few.toString());
            assertEquals(100, jwg.dump().peers().size());

            Path many = privateFile(ifName + "-many.conf", "[Interface]\n" + peers(TOO_MANY));
            ExecResult r = ns.exec(Duration.ofSeconds(60), null, List.of("wg", "addconf", ifName, many.toString()));
            assertNotEquals(0, r.exitCode(), r.describe());
            assertTrue(r.stderr().contains("Cannot allocate memory"), "wg names ENOMEM: " + r.stderr());
            assertTrue(jwg.isAlive());
            assertEquals(100, jwg.dump().peers().size(), "nothing of the refused set was applied");
            assertTrue(jwg.logTail(100_000).contains("UAPI: errno=-12: " + (TOO_MANY + 100) + " peers with " + (TOO_MANY + 100)
                    + " allowed IPs need about "), jwg.logTail(2000));
            assertFalse(jwg.logTail(100_000).contains("OutOfMemoryError"));

            Path more = privateFile(ifName + "-more.conf", "[Interface]\n" + peers(1000));
            ns.execOk("wg", "addconf", ifName, more.toString());
            assertEquals(1100, jwg.dump().peers().size(), "what fits is still taken");
        }
    }
}
