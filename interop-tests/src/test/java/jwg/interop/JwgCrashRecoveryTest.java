package jwg.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import jwg.interop.fixture.JwgProcess;
import jwg.interop.fixture.Netns;
import jwg.interop.fixture.Poll;
import jwg.interop.fixture.Spawned;
import jwg.interop.fixture.WgKeys;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * SIGKILL at each step of `jwg CONFIG` bringing a full tunnel up (the issue on hostile networks):
 * the killed run leaves what it had set up (a TUN dies with its process; rules, nftables tables and
 * DNS entries do not), the next start removes it and comes up, and its SIGTERM leaves the namespace
 * as wg-quick down leaves it. The kills come from inside, at the step: a PreUp or PostUp hook
 * `kill -9 $PPID`, or an `nft` or `resolvconf` on PATH that does its work and then kills the jwg
 * that ran it. resolvconf is a stand-in that keeps its entries in a directory (this machine has
 * none, and the host's resolver must not change); nft is the real one, run by a wrapper.
 */
@Timeout(value = 600, unit = TimeUnit.SECONDS)
class JwgCrashRecoveryTest {
    /** Where the killed run stops. */
    enum Step {
        /** PreUp, which jwg runs once the TUN exists (before any routing). */
        AFTER_THE_INTERFACE,
        /** resolvconf -a has stored the DNS entry (addresses and MTU set before it). */
        AFTER_DNS,
        /** nft -f has made the first family's table (after its route and fwmark rules: add_default). */
        AFTER_ROUTES_RULES_AND_NFTABLES,
        /** PostUp: everything is up. */
        AFTER_POSTUP,
        /** Up and serving: killed from outside. */
        WHILE_SERVING
    }

    static final Duration UP = Duration.ofSeconds(90);

    Netns client;
    Path dir;
    Path bin;
    Path entries;
    String ifName;

    @BeforeEach
    void setUp() throws IOException {
        client = Netns.create("crc"); // no peer: the tunnel only has to be set up
        ifName = JwgProcess.uniqueIfName();
        dir = Files.createTempDirectory("jwg-crash");
        bin = Files.createDirectories(dir.resolve("bin"));
        entries = Files.createDirectories(dir.resolve("entries"));
        script("resolvconf", """
                #!/bin/bash
                case "$1" in
                -a) cat > %1$s/"$2"; [[ -e %2$s/kill-after-dns ]] && kill -9 $PPID ;;
                -d) rm -f %1$s/"$2" ;;
                -l) cat %1$s/"$2" 2>/dev/null ;;
                esac
                exit 0
                """.formatted(entries, dir));
        String nft = Stream.of("/usr/sbin/nft", "/sbin/nft", "/usr/bin/nft").filter(p -> Files.isExecutable(Path.of(p))).findFirst()
                .orElseThrow(() -> new IllegalStateException("nft is not installed"));
        script("nft", """
                #!/bin/bash
                %1$s "$@"; rc=$?
                [[ $rc == 0 && -e %2$s/kill-after-nft ]] && kill -9 $PPID
                exit $rc
                """.formatted(nft, dir));
    }

    @AfterEach
    void tearDown() throws IOException {
        Closing.closeAll(client);
        if (dir != null) {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Step.class)
    void theNextStartCleansUpWhatAKilledOneLeft(Step step) throws Exception {
        Map<String, String> before = client.routingState();

        // the killed run
        Path conf = config(step);
        if (step == Step.AFTER_DNS) Files.createFile(dir.resolve("kill-after-dns"));
        if (step == Step.AFTER_ROUTES_RULES_AND_NFTABLES) Files.createFile(dir.resolve("kill-after-nft"));
        Spawned killed = jwg(conf, "killed");
        if (step == Step.WHILE_SERVING) {
            Poll.until(UP, "the \"is up\" line", () -> killed.logTail(20_000).contains("is up: UDP port"));
            new ProcessBuilder("kill", "-9", Long.toString(killed.pid())).start().waitFor();
        }
        assertEquals(137, awaitExit(killed), "killed by SIGKILL: " + killed.logTail(800));
        Poll.until(Duration.ofSeconds(10), "the TUN to go with its process", () -> !client.hasLink(ifName));
        Map<String, String> left = client.routingState();
        switch (step) {
            case AFTER_THE_INTERFACE -> assertEquals(before, left, "nothing but the TUN was made, and it is gone");
            case AFTER_DNS -> assertEquals(List.of(ifName), entries(), "the DNS entry is left");
            default -> {
                assertTrue(left.get("nft list ruleset").contains("wg-quick-" + ifName), left.get("nft list ruleset"));
                String rules = left.get("ip -4 rule") + left.get("ip -6 rule"); // killed after the first family's nft, or the second's
                assertTrue(rules.contains("lookup 51820"), rules);
                assertEquals(List.of(ifName), entries());
            }
        }
        Files.deleteIfExists(dir.resolve("kill-after-dns"));
        Files.deleteIfExists(dir.resolve("kill-after-nft"));

        // the next start
        Spawned next = jwg(config(null), "next");
        Poll.until(UP, "the \"is up\" line of the next start (log " + next.log() + ")", () -> {
            if (!next.isAlive()) throw new IllegalStateException("the next start exited: " + next.logTail(800));
            return next.logTail(50_000).contains("is up: UDP port");
        });
        String log = Files.readString(next.log());
        if (step == Step.AFTER_THE_INTERFACE) {
            assertFalse(log.contains("did not finish"), log);
        } else {
            assertTrue(log.contains("[!] A previous run of " + ifName + " in this network namespace did not finish"), log);
            assertTrue(log.contains("[!] Removed what the previous run left behind: resolvconf entry " + ifName), log);
        }
        Map<String, String> up = client.routingState();
        assertEquals(1, count(up.get("ip -4 rule"), "lookup 51820"), "one fwmark rule, not two: " + up.get("ip -4 rule"));
        assertEquals(1, count(up.get("nft list ruleset"), "table ip wg-quick-" + ifName), up.get("nft list ruleset"));
        assertEquals(List.of(ifName), entries());

        // and down
        int rc = next.stop(Duration.ofSeconds(15));
        assertTrue(JwgProcess.CLEAN_EXIT.contains(rc), "exit " + rc + ": " + next.logTail(800));
        assertFalse(client.hasLink(ifName));
        assertEquals(before, client.routingState(), "the namespace is as before");
        assertEquals(List.of(), entries(), "no DNS entry left");
        assertFalse(stateLeft(), "no crash-recovery state left");
    }

    /** A full tunnel with DNS; for the steps killed by a hook, that hook. */
    private Path config(Step step) throws IOException {
        WgKeys.KeyPair k = WgKeys.generate(), peer = WgKeys.generate();
        String hooks = step == Step.AFTER_THE_INTERFACE ? "PreUp = kill -9 $PPID\n"
                : step == Step.AFTER_POSTUP ? "PostUp = kill -9 $PPID\n" : "";
        Path conf = dir.resolve(ifName + ".conf");
        Files.deleteIfExists(conf);
        Files.createFile(conf, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(conf, """
                [Interface]
                PrivateKey = %s
                Address = 10.79.0.1/24, fd0a:79::1/64
                DNS = 10.79.0.53, example.com
                %s
                [Peer]
                PublicKey = %s
                AllowedIPs = 0.0.0.0/0, ::/0
                Endpoint = %s
                """.formatted(k.privateKey(), hooks, peer.publicKey(), "192.0.2.79:51840"));
        return conf;
    }

    private Spawned jwg(Path conf, String label) {
        List<String> command = new ArrayList<>(List.of(JwgProcess.launcher(), "-jar", JwgProcess.jar().toString(), conf.toString()));
        return client.spawn(ifName + "-" + label, Map.of("PATH", bin + ":" + System.getenv("PATH")), command);
    }

    private static int awaitExit(Spawned p) {
        int rc = p.awaitExit(UP);
        if (rc == -1) p.stop(Duration.ofSeconds(5));
        return rc;
    }


    private List<String> entries() throws IOException {
        try (Stream<Path> files = Files.list(entries)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    /** Whether /run/jwg holds a state file of this interface (in any namespace's directory). */
    private boolean stateLeft() throws IOException {
        Path root = Path.of("/run/jwg");
        if (!Files.isDirectory(root)) return false;
        try (Stream<Path> files = Files.walk(root)) {
            return files.anyMatch(p -> p.getFileName().toString().equals(ifName));
        }
    }

    private static long count(String text, String what) {
        return text.lines().filter(l -> l.contains(what)).count();
    }

    private void script(String name, String text) {
        try {
            Path p = bin.resolve(name);
            Files.writeString(p, text);
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
