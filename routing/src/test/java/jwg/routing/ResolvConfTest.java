package jwg.routing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.OptionalInt;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** resolvconf_iface_prefix: Debian's resolvconf orders interfaces by name prefix, e.g. "tun.". */
class ResolvConfTest {

    @Test
    void theEntryNameTakesTheFirstWildcardOfInterfaceOrder(@TempDir Path dir) throws Exception {
        Path resolvconfDirectory = Files.createDirectories(dir.resolve("etc-resolvconf"));
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path program = bin.resolve("resolvconf");
        Files.writeString(program, "#!/bin/sh\n");
        Files.setPosixFilePermissions(program, PosixFilePermissions.fromString("rwxr-xr-x"));
        Context c = context(new Host(bin.toString(), resolvconfDirectory, dir, List.of(), dir,
                ProcessBuilder.Redirect.DISCARD));

        assertEquals("wg0", ResolvConf.entryName(c), "without interface-order");
        Files.writeString(resolvconfDirectory.resolve("interface-order"),
                "# interface-order(5)\nlo.inet6\nlo.inet\nlo.@(dnsmasq|pdnsd)\nlo.!(pdns|pdns-recursor)\nlo\n"
                        + "tun*\ntap*\nhso*\nem+([0-9])?(_+([0-9]))*\n*\n");
        assertEquals("tun.wg0", ResolvConf.entryName(c), "Debian's resolvconf");

        Files.move(program, bin.resolve("resolvectl"));
        Files.createSymbolicLink(program, bin.resolve("resolvectl"));
        assertEquals("wg0", ResolvConf.entryName(c), "resolvconf a symbolic link (systemd's resolvectl)");
    }

    private static Context context(Host host) {
        WgQuickSpec spec = new WgQuickSpec("wg0", List.of(), OptionalInt.empty(), Dns.NONE, new Table.Auto(),
                Hooks.NONE, List.of(), List.of());
        return new Context(spec, 0, null, null, new Processes(host), host, new CommandLog(line -> {}));
    }
}
