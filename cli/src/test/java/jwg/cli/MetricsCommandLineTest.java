package jwg.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import jwg.cli.testing.Cmd;
import jwg.cli.testing.Keys;
import jwg.cli.testing.Launcher;
import jwg.cli.testing.NetNs;
import jwg.cli.testing.Processes;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * --metrics ADDR:PORT and JWG_METRICS as users and wg-quick give them: mistakes and a port in use
 * end in one line and exit status 1 before the host is touched, and the mode wg-quick drives
 * serves its interface's metrics. What the metrics say is checked against traffic in
 * interop-tests (JwgMetricsTest).
 */
class MetricsCommandLineTest {
    private static final String NOT_ADDR_PORT = ": not ADDR:PORT (an IP address and a port from 1 to 65535, e.g. 127.0.0.1:9586 or [::1]:9586)";

    @TempDir
    Path dir;
    private Path jwg;

    @BeforeEach
    void launcher() throws Exception {
        jwg = Launcher.write(dir);
    }

    @Test
    void anAddressThatIsNotAddrPortIsOneLineAndTouchesNothing() throws Exception {
        try (NetNs ns = NetNs.create()) {
            String name = NetNs.uniqueName("jwgm");
            for (String bad : List.of("9586", "localhost:9586", "127.0.0.1:0", "::1:9586")) {
                Cmd.Result r = ns.exec(jwg.toString(), "-f", "--metrics", bad, name);
                assertEquals(1, r.status(), r.err());
                assertEquals("jwg: --metrics " + bad + NOT_ADDR_PORT, r.err().strip());
            }
            Cmd.Result background = ns.exec(Map.of("JWG_METRICS", "[127.0.0.1]:9586"), jwg.toString(), name);
            assertEquals(1, background.status(), background.err());
            assertEquals("jwg: JWG_METRICS=[127.0.0.1]:9586" + NOT_ADDR_PORT, background.err().strip());
            Cmd.Result config = ns.exec(jwg.toString(), "--metrics", "127.0.0.1:65536", dir.resolve("absent.conf").toString());
            assertEquals(1, config.status(), config.err());
            assertEquals("jwg: --metrics 127.0.0.1:65536" + NOT_ADDR_PORT, config.err().strip(), "before the file is read");
            assertFalse(ns.exec("ip", "link", "show", name).ok(), "no interface made");
        }
    }

    /** wg-quick runs `jwg IF`, which takes JWG_METRICS from the environment; a second jwg on its port is refused. */
    @Test
    void wgQuicksInterfaceServesItsMetricsAndAPortInUseIsOneLine() throws Exception {
        try (NetNs a = NetNs.create()) {
            String name = NetNs.uniqueName("jwgq");
            String other = NetNs.uniqueName("jwgp");
            Keys self = Keys.generate();
            Keys peer = Keys.generate();
            Path conf = dir.resolve(name + ".conf");
            Files.writeString(conf, "[Interface]\nPrivateKey = " + self.privateKey() + "\nAddress = 10.78.0.1/24\n\n[Peer]\nPublicKey = "
                    + peer.publicKey() + "\nPresharedKey = " + Keys.psk() + "\nAllowedIPs = 10.78.0.2/32, fd78::2/128\n");
            Files.setPosixFilePermissions(conf, PosixFilePermissions.fromString("rw-------"));
            Map<String, String> env = Map.of("WG_QUICK_USERSPACE_IMPLEMENTATION", jwg.toString(), "JWG_METRICS", "127.0.0.1:9586");
            try {
                Cmd.Result up = a.exec(env, "wg-quick", "up", conf.toString());
                assertEquals(0, up.status(), up.err());
                String scrape = a.exec("curl", "-sf", "http://127.0.0.1:9586/metrics").orThrow().out();
                assertTrue(scrape.contains("jwg_peers{interface=\"" + name + "\"} 1"), scrape);
                assertTrue(scrape.contains("wireguard_sent_bytes_total{allowed_ips=\"10.78.0.2/32,fd78::2/128\",interface=\"" + name
                        + "\",public_key=\"" + peer.publicKey() + "\"} 0"), scrape);
                String psk = Files.readString(conf).lines().filter(l -> l.startsWith("PresharedKey")).findFirst().orElseThrow().substring(15);
                assertFalse(scrape.contains(self.privateKey()) || scrape.contains(psk), "no private or preshared key in the metrics");

                Cmd.Result second = a.exec(jwg.toString(), "-f", "--metrics", "127.0.0.1:9586", other);
                assertEquals(1, second.status(), second.err());
                assertEquals("jwg: cannot serve metrics on 127.0.0.1:9586: Address already in use", second.err().strip());
                assertFalse(a.exec("ip", "link", "show", other).ok(), "the second made no interface");

                a.exec(env, "wg-quick", "down", conf.toString()).orThrow();
                assertTrue(Processes.await(10_000, () -> Processes.jwg(name).isEmpty()), "jwg exits on wg-quick down");
                assertFalse(a.exec("curl", "-sf", "http://127.0.0.1:9586/metrics").ok(), "and its endpoint with it");
            } finally {
                a.exec("ip", "link", "del", name);
            }
        }
    }
}
