package jwg.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import jwg.cli.testing.Cmd;
import jwg.cli.testing.Keys;
import jwg.cli.testing.Launcher;
import jwg.cli.testing.NetNs;
import jwg.sys.Libc;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * dist/systemd/jwg@.service: systemd-analyze verify accepts it, and its ExecStart and ExecReload
 * lines, run as systemd runs them (%i the instance, NOTIFY_SOCKET set), bring the interface up
 * with READY=1, apply an edited file as wg syncconf, and stop on SIGTERM.
 */
class SystemdUnitTest {
    private static final Path UNIT = Path.of(System.getProperty("user.dir")).getParent().resolve("dist/systemd/jwg@.service");

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
}
