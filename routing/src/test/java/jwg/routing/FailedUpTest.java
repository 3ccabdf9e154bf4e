package jwg.routing;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static jwg.routing.Comparison.sorted;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A step of up fails half-way: jwg undoes everything, as wg-quick's trap (del_if) does. */
class FailedUpTest {

    record Failure(WgQuickCase kase, String message) {
        @Override
        public String toString() {
            return kase.title();
        }
    }

    static Stream<Failure> failures() {
        WgQuickCase.Peer fullTunnel = new WgQuickCase.Peer(List.of("0.0.0.0/0", "::/0"), "192.0.2.2:51820");
        return Stream.of(
                new Failure(WgQuickCase.of("PostUp exits 1 after a full tunnel with DNS",
                        List.of("10.7.0.2/32", "fd07::2/128"), List.of(fullTunnel)).dns("10.7.0.1", "example.com")
                        .hooks(new Hooks(List.of(), List.of("echo up %i >> HOOKS/%i.log", "exit 1", "echo never >> HOOKS/%i.log"),
                                List.of("echo PreDown is not run >> HOOKS/%i.log"), List.of())),
                        "PostUp `exit 1' failed with exit status 1"),
                new Failure(WgQuickCase.of("a table name not in rt_tables", List.of("10.7.0.2/32"),
                        List.of(new WgQuickCase.Peer(List.of("10.9.0.0/24"), "192.0.2.2:51820"))).table("nosuchtable"),
                        "Error: argument \"nosuchtable\" is wrong: \"table\" value is invalid"),
                new Failure(WgQuickCase.of("Table = main and a route that exists (EEXIST)", List.of("10.7.0.2/24"),
                        List.of(new WgQuickCase.Peer(List.of("10.9.0.0/24", "10.7.0.0/24"), "192.0.2.2:51820")))
                        .table("main").dns("10.7.0.1"),
                        "`ip -4 route add 10.7.0.0/24 dev IF table main' failed: File exists"),
                // Table 0 is the main table, where the underlay's default routes are already.
                new Failure(WgQuickCase.of("Table = 0 and a default route (EEXIST)", List.of("10.7.0.2/32", "fd07::2/128"),
                        List.of(fullTunnel)).table("0"),
                        "`ip -6 route add ::/0 dev IF table 0' failed: File exists"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("failures")
    void everythingIsUndoneAsByWgQuick(Failure failure, @TempDir Path dir) throws Exception {
        try (Comparison c = new Comparison(failure.kase(), dir)) {
            Sh.Result up = c.wgQuick("up");
            assertNotEquals(0, up.status(), up.output());
            WgQuickException e = assertThrows(WgQuickException.class, c::jwgUp);
            assertEquals(failure.message(), e.getMessage().replace(c.ourName, "IF"));
            assertFalse(e.getMessage().contains("\n"), "one line");

            assertEquals(sorted(c.theirCommands(up)), sorted(c.ourCommands()), "[#] lines");
            assertTrue(c.ourCommands().getLast().equals("[#] ip link delete dev IF"), c.ourCommands().toString());
            Snapshot theirs = c.theirSnapshot();
            Snapshot ours = c.ourSnapshot();
            Snapshot.assertSame(theirs, ours, "after the failed up");
            Snapshot.assertSame(c.oursBefore.withoutSysctl(), ours.withoutSysctl(), "compared with before up");
            assertEquals("absent", ours.link());
            assertEquals(c.theirResolvconf.calls(c.theirName), c.ourResolvconf.calls(c.ourName), "resolvconf");
            assertEquals(List.of(), c.ourResolvconf.entries());
            assertEquals(c.theirHookLog(), c.ourHookLog(), "hooks");
            assertEquals(List.of(), c.stateLeft());
        }
    }
}
