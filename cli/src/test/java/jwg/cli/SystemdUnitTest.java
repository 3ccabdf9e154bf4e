package jwg.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import jwg.cli.testing.Cmd;
import jwg.cli.testing.Keys;
import jwg.cli.testing.Launcher;
import jwg.cli.testing.NetNs;
import jwg.cli.testing.Processes;
import jwg.sys.Libc;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * dist/systemd/jwg@.service: systemd-analyze verify accepts it, and its ExecStart and ExecReload
 * lines, run as systemd runs them (%i the instance, NOTIFY_SOCKET set), bring the interface up
 * with READY=1, apply an edited file as wg syncconf, and stop on SIGTERM. And the drop-in
 * dist/systemd/wg-quick@.service.d/jwg.conf for the stock wg-quick@.service: verified with it, and
 * the stock ExecStart and ExecStop, with the environment of both, bring up a tunnel to a
 * wireguard-go peer with jwg underneath and take it down.
 */
class SystemdUnitTest {
    private static final Path UNIT = Path.of(System.getProperty("user.dir")).getParent().resolve("dist/systemd/jwg@.service");
    private static final Path DROP_IN = UNIT.getParent().resolve("wg-quick@.service.d/jwg.conf");
    /** wireguard-tools' unit, as Debian installs it. */
    private static final Path STOCK_UNIT = Path.of("/lib/systemd/system/wg-quick@.service");

    @TempDir
    Path dir;

    /** The unit's line for key, with the paths of an installed jwg replaced by this test's. */
    private String line(String key, Path jwg, String instance) throws Exception {
        return Files.readAllLines(UNIT).stream().filter(l -> l.startsWith(key + "=")).findFirst().orElseThrow()
                .substring(key.length() + 1).replace("/usr/bin/jwg", jwg.toString())
                .replace("/etc/wireguard/%i.conf", dir.resolve(instance + ".conf").toString())
                .replace("wg-quick strip %i", "wg-quick strip " + dir.resolve(instance + ".conf"))
                .replace("%i", instance);
    }

    @Test
    void systemdAnalyzeVerifiesIt() throws Exception {
        Path jwg = Launcher.write(dir);
        Path unit = dir.resolve("jwg@.service");
        Files.writeString(unit, Files.readString(UNIT).replace("/usr/bin/jwg", jwg.toString()));
        Cmd.Result r = Cmd.run(List.of("systemd-analyze", "verify", dir.resolve("jwg@wg0.service").toString()));
        assertEquals(0, r.status(), r.err());
        assertEquals("", r.err().lines().filter(l -> l.contains("jwg@")).reduce("", String::concat), r.err());
    }

    @Test
    void itsCommandsStartReloadAndStopAnInterface() throws Exception {
        Path jwg = Launcher.write(dir);
        try (NetNs ns = NetNs.create(); Arena arena = Arena.ofConfined()) {
            String name = NetNs.uniqueName("jwgs");
            Keys peer = Keys.generate();
            Keys added = Keys.generate();
            Path conf = dir.resolve(name + ".conf");
            String text = "[Interface]\nPrivateKey = " + Keys.generate().privateKey() + "\nAddress = 10.83.0.1/24\nListenPort = 51883\n\n"
                    + "[Peer]\nPublicKey = " + peer.publicKey() + "\nAllowedIPs = 10.83.0.2/32\n";
            Files.writeString(conf, text);
            Files.setPosixFilePermissions(conf, PosixFilePermissions.fromString("rw-------"));
            String notify = dir.resolve("notify").toString();
            int fd = SdNotifyTest.bound(arena, notify);
            ProcessBuilder start = new ProcessBuilder("ip", "netns", "exec", ns.name(), "/bin/sh", "-c", "exec " + line("ExecStart", jwg, name))
                    .redirectOutput(dir.resolve("out").toFile()).redirectError(dir.resolve("err").toFile());
            start.environment().put("NOTIFY_SOCKET", notify);
            Process p = start.start();
            try {
                String ready = SdNotifyTest.await(arena, fd, dir.resolve("err"));
                assertTrue(ready.startsWith("READY=1\n"), ready);
                assertTrue(Cmd.ok("wg", "show", name, "peers").out().contains(peer.publicKey()));

                Files.writeString(conf, text + "\n[Peer]\nPublicKey = " + added.publicKey() + "\nAllowedIPs = 10.83.0.3/32\n");
                Cmd.Result reload = ns.exec("/bin/sh", "-c", line("ExecReload", jwg, name));
                assertEquals(0, reload.status(), reload.err());
                String peers = Cmd.ok("wg", "show", name, "peers").out();
                assertTrue(peers.contains(added.publicKey()) && peers.contains(peer.publicKey()), peers);

                p.destroy(); // KillSignal=SIGTERM
                assertTrue(p.waitFor(30, TimeUnit.SECONDS));
                assertEquals(0, p.exitValue());
                assertEquals("STOPPING=1", SdNotifyTest.poll(arena, fd));
                assertTrue(!ns.exec("ip", "link", "show", name).out().contains(name), "the interface is gone");
            } finally {
                p.destroyForcibly();
                Libc.close(fd);
            }
        }
    }

    /** The stock unit and the drop-in (with this test's jwg) in dir, as /lib/systemd/system holds them. */
    private Path installWgQuickUnit(Path jwg, String dropIn) throws Exception {
        Assumptions.assumeTrue(Files.isRegularFile(STOCK_UNIT), STOCK_UNIT + " is not installed (wireguard-tools)");
        Files.copy(STOCK_UNIT, dir.resolve("wg-quick@.service"), StandardCopyOption.REPLACE_EXISTING);
        Path dropIns = Files.createDirectories(dir.resolve("wg-quick@.service.d"));
        return Files.writeString(dropIns.resolve("jwg.conf"), dropIn.replace("/usr/bin/jwg", jwg.toString()));
    }

    @Test
    void systemdAnalyzeVerifiesTheStockWgQuickUnitWithTheDropIn() throws Exception {
        Path jwg = Launcher.write(dir);
        Path dropIn = installWgQuickUnit(jwg, Files.readString(DROP_IN));
        List<String> verify = List.of("systemd-analyze", "verify", dir.resolve("wg-quick@wg0.service").toString());
        Cmd.Result r = Cmd.run(verify);
        assertEquals(0, r.status(), r.err());
        assertEquals("", r.err().lines().filter(l -> l.contains("wg-quick@") || l.contains("jwg")).reduce("", String::concat), r.err());
        Files.writeString(dropIn, "[Service]\nEnvironmnet=WG_QUICK_USERSPACE_IMPLEMENTATION=" + jwg + "\n");
        assertTrue(Cmd.run(verify).err().contains("Environmnet"), "systemd-analyze reads the drop-in (it reports a mistake there)");
    }

    @Test
    void theStockWgQuickUnitWithTheDropInRunsJwgUnderneath() throws Exception {
        Path jwg = Launcher.write(dir);
        installWgQuickUnit(jwg, Files.readString(DROP_IN));
        Map<String, String> environment = new HashMap<>(); // the unit's Environment= lines, then the drop-in's
        List<String> lines = new ArrayList<>(Files.readAllLines(dir.resolve("wg-quick@.service")));
        lines.addAll(Files.readAllLines(dir.resolve("wg-quick@.service.d/jwg.conf")));
        for (String l : lines) {
            if (!l.startsWith("Environment=")) continue;
            String assignment = l.substring("Environment=".length());
            environment.put(assignment.substring(0, assignment.indexOf('=')), assignment.substring(assignment.indexOf('=') + 1));
        }
        assertEquals(jwg.toString(), environment.get("WG_QUICK_USERSPACE_IMPLEMENTATION"));
        try (NetNs a = NetNs.create(); NetNs b = NetNs.create()) {
            NetNs.link(a, "192.168.76.1", b, "192.168.76.2");
            List<Keys> keys = List.of(Keys.generate(), Keys.generate());
            String instance = NetNs.uniqueName("jwgu");
            Path confA = tunnelEnd(instance, keys, "10.76.0.1", "10.76.0.2", "192.168.76.2:51877", 51876);
            String peerName = NetNs.uniqueName("wgou");
            Path confB = tunnelEnd(peerName, keys.reversed(), "10.76.0.2", "10.76.0.1", "192.168.76.1:51876", 51877);
            try {
                Cmd.Result start = a.exec(environment, stockCommand("ExecStart", confA));
                assertEquals(0, start.status(), start.err());
                assertTrue(start.err().contains("[#] " + jwg + " " + instance), "wg-quick ran jwg: " + start.err());
                assertEquals(1, Processes.jwg(instance).size(), "jwg is in the background");
                b.exec("wg-quick", "up", confB.toString()).orThrow(); // wireguard-go
                assertTrue(a.exec("ping", "-c", "1", "-w", "10", "10.76.0.2").ok(), "through the tunnel");
                assertTrue(Cmd.ok("wg", "show", instance, "latest-handshakes").out().matches("(?s)\\S+\\s+[1-9]\\d*\\s*"));
                Cmd.Result stop = a.exec(environment, stockCommand("ExecStop", confA));
                assertEquals(0, stop.status(), stop.err());
                assertTrue(Processes.await(10_000, () -> Processes.jwg(instance).isEmpty()), "jwg exits on ExecStop");
                assertFalse(a.exec("ip", "link", "show", instance).ok(), "the interface is gone");
            } finally {
                a.exec("ip", "link", "del", instance);
                b.exec("ip", "link", "del", peerName);
            }
        }
    }

    /** The stock unit's line for key, as argv, with %i the path of conf (wg-quick takes a path as well as a name). */
    private String[] stockCommand(String key, Path conf) throws Exception {
        String line = Files.readAllLines(dir.resolve("wg-quick@.service")).stream().filter(l -> l.startsWith(key + "="))
                .findFirst().orElseThrow().substring(key.length() + 1);
        return line.replace("%i", conf.toString()).split(" ");
    }

    /** One end of the tunnel: keys are its own, then its peer's. */
    private Path tunnelEnd(String name, List<Keys> keys, String address, String peerAddress, String endpoint, int port)
            throws Exception {
        Path conf = dir.resolve(name + ".conf");
        Files.writeString(conf, String.join("\n", "[Interface]", "PrivateKey = " + keys.getFirst().privateKey(), "ListenPort = " + port,
                "Address = " + address + "/24", "", "[Peer]", "PublicKey = " + keys.getLast().publicKey(), "AllowedIPs = " + peerAddress + "/32",
                "Endpoint = " + endpoint, ""));
        Files.setPosixFilePermissions(conf, PosixFilePermissions.fromString("rw-------"));
        return conf;
    }
}
