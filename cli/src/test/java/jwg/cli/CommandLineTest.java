package jwg.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import jwg.cli.testing.Cmd;
import jwg.cli.testing.Keys;
import jwg.cli.testing.Launcher;
import jwg.cli.testing.NetNs;
import jwg.cli.testing.Processes;
import jwg.cli.uapi.UapiServer;
import jwg.routing.WgQuick;
import jwg.sys.Libc;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The jwg command as wg-quick and users run it, each in a process of its own through a launcher:
 * wireguard-go's `[-f] INTERFACE` contract (background, foreground, exit when the socket file or
 * the interface goes) and the config mode, which serves the UAPI socket too; --metrics and JWG_METRICS
 * (what the metrics say is checked against traffic in interop-tests' JwgWireguardGoTest).
 */
class CommandLineTest {
    private static final String NOT_ADDR_PORT = ": not ADDR:PORT (an IP address and a port from 1 to 65535, e.g. 127.0.0.1:9586 or [::1]:9586)";

    @TempDir
    Path dir;
    private Path jwg;

    @BeforeEach
    void launcher() throws Exception {
        jwg = Launcher.write(dir);
    }

    @Test
    void aBareNameIsAnInterfaceAndAPathOrDotConfAConfigFile() {
        assertFalse(Main.isConfigFile("wg0"));
        assertFalse(Main.isConfigFile("wg.conf0"));
        assertTrue(Main.isConfigFile("wg0.conf"));
        assertTrue(Main.isConfigFile("./wg0"));
        assertTrue(Main.isConfigFile("/etc/wireguard/wg0.conf"));
    }

    @Test
    void whatMarksTheBackgroundProcessIsNotPassedToItsHooks() {
        assertEquals(Set.of(Background.CHILD, Background.FOREGROUND, RunningDaemon.MARK), WgQuick.DAEMON_ENVIRONMENT);
    }

    @Test
    void inTheBackgroundItReturnsOnceTheSocketIsUpAndExitsWhenTheInterfaceIsRemoved() throws Exception {
        try (NetNs ns = NetNs.create()) {
            String name = NetNs.uniqueName("jwgc");
            try {
                Cmd.Result r = ns.exec(jwg.toString(), name);
                assertEquals(0, r.status(), r.err());
                Path socket = UapiServer.socketPath(name);
                assertTrue(Files.exists(socket), "the socket is up when the command returns");
                assertEquals("rwxr-xr-x", PosixFilePermissions.toString(Files.getPosixFilePermissions(socket.getParent())));
                assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(socket)));
                assertEquals(1, Processes.jwg(name).size(), "one process left, in the background");
                assertTrue(Cmd.ok("wg", "show", name).out().contains("listening port"));
                assertTrue(ns.exec("ip", "link", "show", name).out().contains("mtu 1420"));
                ns.exec("ip", "link", "del", name).orThrow();
                assertTrue(Processes.await(10_000, () -> Processes.jwg(name).isEmpty()), "it exits when its interface is removed");
                assertFalse(Files.exists(socket), "and removes its socket");
            } finally {
                ns.exec("ip", "link", "del", name);
            }
        }
    }

    @Test
    void inTheForegroundItExitsWhenItsSocketIsDeleted() throws Exception {
        try (NetNs ns = NetNs.create()) {
            String name = NetNs.uniqueName("jwgf");
            Process p = new ProcessBuilder("ip", "netns", "exec", ns.name(), jwg.toString(), "-f", name)
                    .redirectOutput(dir.resolve("out").toFile()).redirectError(dir.resolve("err").toFile()).start();
            try {
                Path socket = UapiServer.socketPath(name);
                assertTrue(Processes.await(20_000, () -> listening(socket, dir)), "socket up");
                assertTrue(p.isAlive());
                Files.delete(socket);
                assertTrue(p.waitFor(10, TimeUnit.SECONDS), "it exits when its socket file is deleted");
                assertEquals(0, p.exitValue(), Files.readString(dir.resolve("err")));
                assertFalse(ns.exec("ip", "link", "show", name).ok(), "and its interface is gone");
            } finally {
                p.destroyForcibly();
            }
        }
    }

    @Test
    void aSecondProcessForTheSameNameIsRefused() throws Exception {
        try (NetNs a = NetNs.create(); NetNs b = NetNs.create()) {
            String name = NetNs.uniqueName("jwgd");
            try {
                a.exec(jwg.toString(), name).orThrow();
                Cmd.Result second = b.exec(jwg.toString(), name);
                assertEquals(1, second.status());
                assertTrue(second.err().contains("is in use"), second.err());
                assertFalse(b.exec("ip", "link", "show", name).ok(), "the second one removed its interface");
                assertEquals(1, Processes.jwg(name).size());
            } finally {
                a.exec("ip", "link", "del", name);
            }
        }
    }

    /** WG_TUN_FD and WG_UAPI_FD (wireguard-go's hand-offs; JwgNetnsIdiomsTest uses them): mistakes get one line, and nothing is left. */
    @Test
    void descriptorsHandedOverAreCheckedAndNeedTheForeground() throws Exception {
        try (NetNs ns = NetNs.create()) {
            String name = NetNs.uniqueName("jwgh");
            Cmd.Result background = ns.exec(Map.of("WG_TUN_FD", "3"), jwg.toString(), name);
            assertEquals(1, background.status());
            assertEquals("jwg: WG_TUN_FD and WG_UAPI_FD work in the foreground only (-f, or WG_PROCESS_FOREGROUND=1): "
                    + "Java cannot hand file descriptors to the process it starts", background.err().strip());
            Cmd.Result notANumber = ns.exec(Map.of("WG_TUN_FD", "x"), jwg.toString(), "-f", name);
            assertEquals(1, notANumber.status());
            assertEquals("jwg: WG_TUN_FD=x: not a file descriptor number", notANumber.err().strip());
            Cmd.Result closed = ns.exec(Map.of("WG_TUN_FD", "917"), jwg.toString(), "-f", name);
            assertEquals(1, closed.status());
            assertTrue(closed.err().strip().startsWith("jwg: WG_TUN_FD=917: no such open file descriptor"), closed.err());
            Cmd.Result notATun = ns.exec(Map.of("WG_TUN_FD", "0"), jwg.toString(), "-f", name); // stdin: not a TUN
            assertEquals(1, notATun.status());
            assertTrue(notATun.err().strip().startsWith("jwg: WG_TUN_FD=0: cannot use it as a TUN device"), notATun.err());
            Cmd.Result badUapi = ns.exec(Map.of("WG_UAPI_FD", "0"), jwg.toString(), "-f", name); // stdin: not a listening socket
            assertEquals(1, badUapi.status());
            assertEquals("jwg: WG_UAPI_FD=0: not a listening UNIX socket", badUapi.err().strip());
            assertFalse(ns.exec("ip", "link", "show", name).ok(), "no interface left behind");
            assertFalse(Files.exists(UapiServer.socketPath(name)));
        }
    }

    @Test
    void withAConfigFileItServesTheSocketAndStopsOnSigterm() throws Exception {
        try (NetNs ns = NetNs.create()) {
            String name = NetNs.uniqueName("jwgk");
            Keys me = Keys.generate();
            Keys peer = Keys.generate();
            Path conf = dir.resolve(name + ".conf");
            Files.writeString(conf, "[Interface]\nPrivateKey = " + me.privateKey() + "\nListenPort = 51881\nAddress = 10.81.0.1/24\n\n"
                    + "[Peer]\nPublicKey = " + peer.publicKey() + "\nAllowedIPs = 10.81.0.2/32\n");
            Files.setPosixFilePermissions(conf, PosixFilePermissions.fromString("rw-------"));
            Process p = new ProcessBuilder("ip", "netns", "exec", ns.name(), jwg.toString(), conf.toString())
                    .redirectOutput(dir.resolve("out").toFile()).redirectError(dir.resolve("err").toFile()).start();
            try {
                Path socket = UapiServer.socketPath(name);
                assertTrue(Processes.await(20_000, () -> listening(socket, dir)), "socket up: " + Files.readString(dir.resolve("err")));
                List<String> dump = Cmd.ok("wg", "show", name, "dump").out().lines().toList();
                assertEquals(me.privateKey() + "\t" + me.publicKey() + "\t51881\toff", dump.get(0));
                assertTrue(dump.get(1).startsWith(peer.publicKey() + "\t(none)\t(none)\t10.81.0.2/32\t"), dump.get(1));
                Cmd.ok("wg", "set", name, "peer", peer.publicKey(), "allowed-ips", "10.81.0.0/24");
                assertTrue(Cmd.ok("wg", "show", name, "allowed-ips").out().contains("10.81.0.0/24"));
                p.destroy(); // SIGTERM
                assertTrue(p.waitFor(10, TimeUnit.SECONDS));
                assertEquals(0, p.exitValue());
                assertFalse(Files.exists(socket));
            } finally {
                p.destroyForcibly();
            }
        }
    }

    /** As systemd runs a unit of Type=notify: READY=1 once the interface is up and configured, STOPPING=1 on SIGTERM. */
    @Test
    void underSystemdItSaysReadyOnceUpAndStoppingOnSigterm() throws Exception {
        try (NetNs ns = NetNs.create(); java.lang.foreign.Arena arena = java.lang.foreign.Arena.ofConfined()) {
            String name = NetNs.uniqueName("jwgn");
            Path conf = dir.resolve(name + ".conf");
            Files.writeString(conf, "[Interface]\nPrivateKey = " + Keys.generate().privateKey() + "\nAddress = 10.82.0.1/24\n\n"
                    + "[Peer]\nPublicKey = " + Keys.generate().publicKey() + "\nAllowedIPs = 10.82.0.0/24\n");
            Files.setPosixFilePermissions(conf, PosixFilePermissions.fromString("rw-------"));
            String notify = dir.resolve("notify").toString(); // a path: abstract names are per network namespace
            int fd = SdNotifyTest.bound(arena, notify);
            ProcessBuilder pb = new ProcessBuilder("ip", "netns", "exec", ns.name(), jwg.toString(), conf.toString())
                    .redirectOutput(dir.resolve("out").toFile()).redirectError(dir.resolve("err").toFile());
            pb.environment().put("NOTIFY_SOCKET", notify);
            Process p = pb.start();
            try {
                String ready = SdNotifyTest.await(arena, fd, dir.resolve("err"));
                assertTrue(ready.startsWith("READY=1\nSTATUS=" + name + " is up, UDP port "), ready);
                assertTrue(ns.exec("ip", "-4", "addr", "show", "dev", name).out().contains("10.82.0.1/24"), "up and addressed when it says so");
                assertTrue(Files.exists(UapiServer.socketPath(name)));
                assertTrue(ns.exec("ip", "-4", "route", "show", "dev", name).out().contains("10.82.0.0/24"));
                p.destroy(); // SIGTERM
                assertTrue(p.waitFor(10, TimeUnit.SECONDS));
                assertEquals(0, p.exitValue());
                assertEquals("STOPPING=1", SdNotifyTest.poll(arena, fd));
            } finally {
                p.destroyForcibly();
                Libc.close(fd);
            }
        }
    }

    @Test
    void wgQuickUpAndDownWithJwgAsItsUserspaceImplementation() throws Exception {
        try (NetNs a = NetNs.create(); NetNs b = NetNs.create()) {
            NetNs.link(a, "192.168.79.1", b, "192.168.79.2");
            String ifA = NetNs.uniqueName("jwgq");
            String ifB = NetNs.uniqueName("wgoq");
            Keys ka = Keys.generate();
            Keys kb = Keys.generate();
            Path confA = config(ifA, ka, "10.79.0.1/24", 51891, kb, "10.79.0.2/32", "192.168.79.2:51892");
            Path confB = config(ifB, kb, "10.79.0.2/24", 51892, ka, "10.79.0.1/32", "192.168.79.1:51891");
            Map<String, String> useJwg = Map.of("WG_QUICK_USERSPACE_IMPLEMENTATION", jwg.toString());
            try {
                Cmd.Result up = a.exec(useJwg, "wg-quick", "up", confA.toString());
                assertEquals(0, up.status(), up.err());
                b.exec("wg-quick", "up", confB.toString()).orThrow(); // wireguard-go, wg-quick's default
                assertTrue(a.exec("ping", "-c", "1", "-w", "10", "10.79.0.2").ok(), "jwg <-> wireguard-go through wg-quick's tunnel");
                String show = Cmd.ok("wg", "show", ifA).out();
                assertTrue(show.contains("latest handshake"), show);
                assertTrue(a.exec("ip", "route", "get", "10.79.0.2").out().contains("dev " + ifA), "wg-quick's routes");
                Cmd.Result down = a.exec(useJwg, "wg-quick", "down", confA.toString());
                assertEquals(0, down.status(), down.err());
                assertTrue(Processes.await(10_000, () -> Processes.jwg(ifA).isEmpty()), "jwg exits on wg-quick down");
                assertFalse(Files.exists(UapiServer.socketPath(ifA)));
            } finally {
                a.exec("ip", "link", "del", ifA);
                b.exec("ip", "link", "del", ifB);
            }
        }
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

    /** wg-quick runs `jwg IF`, which takes JWG_METRICS from the environment; a second jwg on its port is refused; jwg up serves them too. */
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

                // jwg up takes the option too, and its daemon serves (the same command line again)
                Cmd.Result quickUp = a.exec(jwg.toString(), "up", "--metrics", "127.0.0.1:9587", conf.toString());
                assertEquals(0, quickUp.status(), quickUp.err());
                String daemon = a.exec("curl", "-sf", "http://127.0.0.1:9587/metrics").orThrow().out();
                assertTrue(daemon.contains("jwg_peers{interface=\"" + name + "\"} 1"), daemon);
                a.exec(jwg.toString(), "down", conf.toString()).orThrow();
            } finally {
                a.exec("ip", "link", "del", name);
            }
        }
    }

    /** `jwg strip` and `jwg save` take wg-quick's argument and print what wg-quick prints, on stdout and stderr. */
    @Test
    void stripPrintsWhatWgQuickStripPrints() throws Exception {
        Path conf = dir.resolve("jwgs0.conf");
        Files.writeString(conf, "[Interface] # x\nPrivateKey = " + Keys.generate().privateKey() + "\n  Address = 10.0.0.1/24  \n"
                + "PostUp = echo %i\n\n[Peer]\nPublicKey = " + Keys.generate().publicKey() + "\nAllowedIPs = 10.0.0.2/32\n");
        Files.setPosixFilePermissions(conf, PosixFilePermissions.fromString("rw-------"));
        Cmd.Result theirs = Cmd.ok("wg-quick", "strip", conf.toString());
        Cmd.Result ours = Cmd.ok(jwg.toString(), "strip", conf.toString());
        assertEquals(theirs.out(), ours.out());
        assertEquals(theirs.err(), ours.err());
        for (String command : List.of("strip", "save")) {
            Cmd.Result missing = Cmd.run(List.of(jwg.toString(), command, "jwgnosuch0"));
            assertEquals(1, missing.status());
            assertEquals("jwg: `/etc/wireguard/jwgnosuch0.conf' does not exist\n", missing.err());
        }
    }

    private Path config(String name, Keys self, String address, int port, Keys peer, String allowed, String endpoint) throws Exception {
        Path p = dir.resolve(name + ".conf");
        Files.writeString(p, "[Interface]\nPrivateKey = " + self.privateKey() + "\nAddress = " + address + "\nListenPort = " + port
                + "\n\n[Peer]\nPublicKey = " + peer.publicKey() + "\nAllowedIPs = " + allowed + "\nEndpoint = " + endpoint + "\n");
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-------"));
        return p;
    }

    /**
     * The UAPI server listens: jwg logs "UAPI socket ... is up" once it does. The socket file alone
     * appears at bind(), just before listen(); a `wg` that connects in between is refused, and
     * then unlinks the socket and falls back to the kernel.
     */
    private static boolean listening(Path socket, Path dir) throws java.io.IOException {
        return Files.exists(socket) && Files.readString(dir.resolve("err")).contains("UAPI socket");
    }
}
