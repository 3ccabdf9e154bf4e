package jwg.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import jwg.interop.fixture.Cmd;
import jwg.interop.fixture.ExecResult;
import jwg.interop.fixture.JwgProcess;
import jwg.interop.fixture.Netns;
import jwg.interop.fixture.Veth;
import jwg.interop.fixture.WgConfig;
import jwg.interop.fixture.WgKeys;
import jwg.interop.fixture.WireguardGoPeer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The Debian package (scripts/build-deb) on a host where no Java is visible: built from this
 * build's jar, installed with dpkg, then used from a private mount namespace that hides
 * /usr/lib/jvm (so /usr/bin/java and every JDK are gone): `jwg up` of a tunnel to wireguard-go,
 * a ping through it, `jwg down`; then `dpkg -r` leaves none of its files. Installs on this
 * machine for real (CI's is a fresh one); refuses to run where a jwg package is installed already.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class JwgDebPackageTest {
    private static final Path ROOT = JwgProcess.jar().getParent().getParent().getParent();
    private static final List<String> FILES = List.of("/usr/bin/jwg", "/usr/lib/jwg", "/lib/systemd/system/jwg@.service",
            "/lib/systemd/system/wg-quick@.service.d/jwg.conf");

    Netns a;
    Netns b;
    WireguardGoPeer go;
    Path dir;
    boolean installed;

    @AfterEach
    void tearDown() throws Exception {
        if (installed) Cmd.run("dpkg", "-r", "jwg");
        Closing.closeAll(go, a, b);
        if (dir != null) Cmd.run("rm", "-rf", dir.toString());
    }

    @Test
    void installsRunsWithoutAJdkAndRemovesWithoutATrace() throws Exception {
        assertFalse(Cmd.run("dpkg-query", "-W", "-f=${Status}", "jwg").stdout().contains("installed"),
                "a jwg package is installed on this machine already: remove it first (dpkg -r jwg)");
        dir = Files.createTempDirectory("jwg-deb-test");
        ExecResult built = Cmd.run(Duration.ofMinutes(5), null, Map.of(), List.of(ROOT.resolve("scripts/build-deb").toString(),
                System.getProperty("java.home"), JwgProcess.jar().toString(), dir.toString()));
        assertTrue(built.ok(), built.describe());
        Path deb = Path.of(built.stdout().strip().lines().reduce((x, y) -> y).orElseThrow());
        String control = Cmd.runOk("dpkg-deb", "-f", deb.toString()).stdout();
        assertTrue(control.contains("Depends: libc6\n"), control);
        long installedMb = Long.parseLong(Cmd.runOk("dpkg-deb", "-f", deb.toString(), "Installed-Size").stdout().strip()) / 1024;
        System.out.println("jwg package: " + deb.getFileName() + ", " + Files.size(deb) / (1 << 20) + " MB, installed " + installedMb + " MB");

        Cmd.runOk("dpkg", "-i", deb.toString());
        installed = true;
        for (String f : FILES) assertTrue(Files.exists(Path.of(f)), f);
        assertTrue(Files.exists(Path.of("/usr/lib/jwg/jwg.aot")), "the AOT cache, trained at the installed path");

        a = Netns.create("deba");
        b = Netns.create("debb");
        Veth.connect(a, "192.168.82.1/24", b, "192.168.82.2/24", 1500);
        WgKeys.KeyPair ka = WgKeys.generate(), kb = WgKeys.generate();
        go = WireguardGoPeer.start(b, WgConfig.of(kb, 51871).withAddresses("10.82.0.2/24")
                .withPeer(WgConfig.Peer.of(ka.publicKey(), "10.82.0.1/32")));
        String ifName = JwgProcess.uniqueIfName();
        Path conf = dir.resolve(ifName + ".conf");
        JwgProcess.writeConfig(conf, WgConfig.of(ka, 51870).withAddresses("10.82.0.1/24")
                .withPeer(WgConfig.Peer.of(kb.publicKey(), "10.82.0.2/32").withEndpoint("192.168.82.2", 51871)).toWgQuick());

        assertEquals("", withoutJdk(a, "ls -A /usr/lib/jvm").stdout().strip(), "/usr/lib/jvm is empty there");
        ExecResult java = withoutJdk(a, "exec java -version");
        assertFalse(java.ok(), "no java there: " + java.describe());

        ExecResult up = withoutJdk(a, "exec /usr/bin/jwg up " + conf);
        assertTrue(up.ok(), up.describe());
        assertTrue(up.stdout().contains("[#] ip -4 address add 10.82.0.1/24 dev " + ifName), up.describe());
        assertFalse(up.stdout().contains("[aot]"), "the AOT cache is taken: " + up.describe());
        Traffic.pingUntilAnswered(Traffic.Host.of(a), "10.82.0.2", 30);
        go.awaitHandshake(ka.publicKey(), Duration.ofSeconds(15));

        ExecResult down = withoutJdk(a, "exec /usr/bin/jwg down " + conf);
        assertTrue(down.ok(), down.describe());
        assertFalse(a.hasLink(ifName));

        Cmd.runOk("dpkg", "-r", "jwg");
        installed = false;
        for (String f : FILES) assertFalse(Files.exists(Path.of(f)), f + " is left after dpkg -r");
    }

    /** A shell command in ns, in a mount namespace of its own where /usr/lib/jvm is an empty tmpfs; its stderr in stdout. */
    private static ExecResult withoutJdk(Netns ns, String command) {
        return Cmd.run(Duration.ofSeconds(90), null, Map.of("PATH", "/usr/sbin:/usr/bin:/sbin:/bin"), List.of("unshare", "--mount",
                "--propagation", "private", "bash", "-c", "mount -t tmpfs jwg-no-jdk /usr/lib/jvm && exec ip netns exec "
                        + ns.name() + " bash -c '" + command + "' 2>&1"));
    }
}
