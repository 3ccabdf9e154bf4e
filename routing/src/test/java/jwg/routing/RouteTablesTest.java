package jwg.routing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class RouteTablesTest {

    @Test
    void namesComeFromRtTablesAndRtTablesD(@TempDir Path dir) throws Exception {
        Path etc = Files.createDirectories(dir.resolve("etc"));
        Path usr = Files.createDirectories(dir.resolve("usr/rt_tables.d"));
        Files.writeString(etc.resolve("rt_tables"), "# comment\n255\tlocal\n254\tmain\n100 vpn\n0x20 hexed\n");
        Files.writeString(usr.resolve("extra.conf"), "  42   extra  # trailing\n");
        Files.writeString(usr.resolve("ignored.txt"), "43 ignored\n");
        Host host = new Host("/bin", dir, dir, List.of(etc, dir.resolve("usr")), dir, ProcessBuilder.Redirect.DISCARD);
        assertEquals(254, RouteTables.id(host, new Table.Name("main")));
        assertEquals(253, RouteTables.id(host, new Table.Name("default")));
        assertEquals(100, RouteTables.id(host, new Table.Name("vpn")));
        assertEquals(32, RouteTables.id(host, new Table.Name("hexed")));
        assertEquals(42, RouteTables.id(host, new Table.Name("extra")));
        assertEquals(1234, RouteTables.id(host, new Table.Id(1234)));
        assertEquals(4294967295L, RouteTables.id(host, new Table.Id(4294967295L)));
        assertEquals("Error: argument \"ignored\" is wrong: \"table\" value is invalid",
                assertThrows(WgQuickException.class, () -> RouteTables.id(host, new Table.Name("ignored"))).getMessage());
        assertEquals(0, RouteTables.id(host, new Table.Id(0)), "ip takes table 0 (the kernel puts such routes in main)");
        assertEquals("1234", RouteTables.text(new Table.Id(1234)));
        assertEquals("vpn", RouteTables.text(new Table.Name("vpn")));
    }
}
