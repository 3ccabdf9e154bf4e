package jwg.routing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import jwg.testing.NetNs;
import jwg.tun.TunDevice;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Crash recovery, interruption, and a down that must finish. jwg alone: wg-quick has no such cases. */
class RecoveryTest {
    static final WgQuickCase FULL_TUNNEL = WgQuickCase.of("full tunnel with DNS", List.of("10.7.0.2/32", "fd07::2/128"),
            List.of(new WgQuickCase.Peer(List.of("0.0.0.0/0", "::/0", "10.9.0.0/24"), "192.0.2.2:51820")))
            .dns("10.7.0.1", "example.com");

    @Test
    void whatACrashedRunLeftIsRemovedAtTheNextUp(@TempDir Path dir) throws Exception {
        try (Comparison c = new Comparison(FULL_TUNNEL, dir); NetNs other = NetNs.create()) {
            c.jwgUp();
            Snapshot up = c.ourSnapshot();
            // The crash: the process dies, its TUN with it; nobody calls down.
            c.device.tun().close();
            Snapshot crashed = c.ourSnapshot();
            assertTrue(crashed.nft().contains("wg-quick-IF"), crashed.nft());
            assertTrue(String.join("", crashed.rules()).contains("\"table\":\"51820\""));
            assertEquals(List.of(c.ourName), c.ourResolvconf.entries());
            assertEquals(1, c.stateLeft().size());

            // The same interface name in another namespace (state is kept per namespace) is not
            // concerned. (resolvconf is not per namespace: that side gets its own.)
            Underlay.setUp(other, 1500);
            Host otherHost = new Host(new FakeResolvconf(dir.resolve("rc-other")).bin + ":" + Comparison.PATH,
                    c.host.resolvconfDirectory(), c.host.procSys(), c.host.iproute2Directories(), c.host.stateDirectory(),
                    c.host.output());
            List<String> otherLog = new CopyOnWriteArrayList<>();
            TunControl otherDevice = other.call(() -> new TunControl(TunDevice.open(c.ourName), 0));
            Session otherSession = other.call(() -> WgQuick.up(c.spec, otherDevice.tun().index(), otherDevice, otherLog::add, otherHost));
            assertTrue(otherLog.stream().noneMatch(l -> l.startsWith("[!]")), otherLog.toString());
            other.call(() -> {
                otherSession.down();
                return null;
            });
            assertTrue(c.ourSnapshot().nft().contains("wg-quick-IF"), "still there in the crashed namespace");

            c.ourLog.clear();
            Session session = c.jwgUp();
            List<String> log = c.ourCommands();
            List<String> warnings = c.ourLog.stream().filter(l -> l.startsWith("[!]")).map(l -> l.replace(c.ourName, "IF")).toList();
            assertEquals(2, warnings.size(), warnings.toString());
            assertTrue(warnings.getFirst().startsWith("[!] A previous run of IF in this network namespace did not finish"));
            assertEquals("[!] Removed what the previous run left behind: resolvconf entry IF; nft table ip6 wg-quick-IF;"
                    + " nft table ip wg-quick-IF; ip -4 rule 32765: not from all fwmark 0xca6c lookup 51820;"
                    + " ip -4 rule 32764: from all lookup main suppress_prefixlength 0;"
                    + " ip -6 rule 32765: not from all fwmark 0xca6c lookup 51820;"
                    + " ip -6 rule 32764: from all lookup main suppress_prefixlength 0", warnings.get(1));
            assertEquals(List.of("[#] resolvconf -d IF -f", "[#] nft -f /dev/stdin",
                    "[#] ip -4 rule delete table 51820", "[#] ip -4 rule delete table main suppress_prefixlength 0",
                    "[#] ip -6 rule delete table 51820", "[#] ip -6 rule delete table main suppress_prefixlength 0",
                    "[#] ip -4 address add 10.7.0.2/32 dev IF"), log.subList(0, 7));
            Snapshot.assertSame(up, c.ourSnapshot(), "up again after the crash");

            c.jwgDown(session);
            Snapshot.assertSame(c.oursBefore.withoutSysctl(), c.ourSnapshot().withoutSysctl(), "after down");
            assertEquals(List.of(), c.ourResolvconf.entries());
            assertEquals(List.of(), c.stateLeft());
        }
    }

    @Test
    void anInterruptedUpUndoesWhatItDid(@TempDir Path dir) throws Exception {
        WgQuickCase slow = FULL_TUNNEL.hooks(new Hooks(List.of(), List.of("sleep 30"), List.of(), List.of()));
        try (Comparison c = new Comparison(slow, dir)) {
            AtomicReference<Thread> upThread = new AtomicReference<>();
            CompletableFuture<Throwable> failure = CompletableFuture.supplyAsync(() -> {
                try {
                    c.ours.call(() -> {
                        upThread.set(Thread.currentThread());
                        return c.jwgUpInThisThread();
                    });
                    return null;
                } catch (Throwable e) {
                    return e;
                }
            });
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!c.ourLog.contains("[#] sleep 30") && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            long start = System.nanoTime();
            upThread.get().interrupt();
            Throwable e = failure.get(10, TimeUnit.SECONDS);
            assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(5), "did not wait for the hook");
            assertEquals(WgQuickException.class, e == null ? null : e.getClass());
            assertEquals("interrupted while running `bash -e -o pipefail -O extglob -c sleep 30'", e.getMessage());
            Snapshot.assertSame(c.oursBefore.withoutSysctl(), c.ourSnapshot().withoutSysctl(), "after the interrupted up");
            assertEquals(List.of(), c.ourResolvconf.entries());
            assertEquals(List.of(), c.stateLeft());
        }
    }

    @Test
    void downFinishesDespiteAFailingPreDownHookAndOnlyOnce(@TempDir Path dir) throws Exception {
        WgQuickCase failing = FULL_TUNNEL.hooks(new Hooks(List.of(), List.of(),
                List.of("exit 3"), List.of("echo PostDown %i >> HOOKS/%i.log")));
        try (Comparison c = new Comparison(failing, dir)) {
            Session session = c.jwgUp();
            c.ourLog.clear();
            WgQuickException e = assertThrows(WgQuickException.class, () -> c.jwgDown(session));
            assertEquals("PreDown `exit 3' failed with exit status 3", e.getMessage());
            assertEquals(List.of("[#] exit 3", "[#] ip -4 rule delete table 51820",
                    "[#] ip -4 rule delete table main suppress_prefixlength 0", "[#] ip -6 rule delete table 51820",
                    "[#] ip -6 rule delete table main suppress_prefixlength 0", "[#] ip link delete dev IF",
                    "[#] resolvconf -d IF -f", "[#] nft -f /dev/stdin", "[#] echo PostDown IF >> HOOKS/IF.log"),
                    c.ourCommands().stream().map(l -> l.replace(dir.resolve("hooks").toString(), "HOOKS")).toList());
            assertEquals("PostDown IF\n", c.ourHookLog());
            Snapshot.assertSame(c.oursBefore.withoutSysctl(), c.ourSnapshot().withoutSysctl(), "after down");
            assertEquals(List.of(), c.ourResolvconf.entries());
            // The state file stays when down failed: the next up checks again.
            assertEquals(1, c.stateLeft().size());

            c.ourLog.clear();
            c.jwgDown(session);
            assertEquals(List.of(), c.ourLog, "a second down does nothing");
            assertTrue(Files.exists(c.stateLeft().getFirst()));
        }
    }
}
