package jwg.testing;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NetNsTest {
    private static final Path THREAD_NETNS = Path.of("/proc/thread-self/ns/net");

    @Test
    void tasksRunInTheNamespaceAndTheNamespaceIsDeleted() throws Exception {
        Path outside = Files.readSymbolicLink(THREAD_NETNS);
        String name;
        try (NetNs ns = NetNs.create()) {
            name = ns.name();
            Path inside = ns.call(() -> Files.readSymbolicLink(THREAD_NETNS));
            assertNotEquals(outside, inside);
            assertEquals(inside, ns.call(() -> Files.readSymbolicLink(THREAD_NETNS)), "same thread, same namespace");
            assertEquals(outside, Files.readSymbolicLink(THREAD_NETNS), "the caller's thread stays outside");
            assertTrue(new ProcessBuilderOutput("ip", "netns", "list").get().contains(name));
        }
        assertFalse(new ProcessBuilderOutput("ip", "netns", "list").get().contains(name));
    }

    @Test
    void aFailingTaskStillLetsTheNamespaceBeDeleted() throws Exception {
        String name;
        try (NetNs ns = NetNs.create()) {
            name = ns.name();
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> ns.call(() -> { throw new IllegalStateException("boom"); }));
            assertEquals("boom", e.getMessage());
        }
        assertFalse(new ProcessBuilderOutput("ip", "netns", "list").get().contains(name));
    }

    private record ProcessBuilderOutput(String... command) {
        String get() throws Exception {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            p.waitFor();
            return out;
        }
    }
}
