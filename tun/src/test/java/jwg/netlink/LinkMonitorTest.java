package jwg.netlink;

import java.util.ArrayList;
import java.util.List;

import jwg.sys.Errno;
import jwg.sys.Libc;
import jwg.testing.NetNs;
import jwg.tun.TunDevice;
import org.junit.jupiter.api.Test;

import static jwg.sys.LibcConstants.POLLIN;
import static jwg.sys.LibcConstants.SOL_SOCKET;
import static jwg.sys.LibcConstants.SO_RCVBUF;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

class LinkMonitorTest {

    /** Records notifications. */
    private static final class Recorder implements LinkListener {
        final List<LinkInfo> changed = new ArrayList<>();
        final List<LinkInfo> deleted = new ArrayList<>();
        int overruns;

        @Override
        public void linkChanged(LinkInfo link) {
            changed.add(link);
        }

        @Override
        public void linkDeleted(LinkInfo link) {
            deleted.add(link);
        }

        @Override
        public void overrun() {
            overruns++;
        }
    }

    @Test
    void reportsCreationChangesAndDeletion() throws Exception {
        try (NetNs ns = NetNs.create(); LinkMonitor monitor = ns.call(LinkMonitor::open);
             Rtnetlink rtnl = ns.call(Rtnetlink::open)) {
            Recorder recorder = new Recorder();
            assertEquals(0, monitor.drain(recorder), "nothing pending, no blocking");

            TunDevice tun = ns.call(() -> TunDevice.open("jwgtun0"));
            int index = tun.index();
            rtnl.setMtu(index, 1420);
            awaitUntil(monitor, recorder, () -> recorder.changed.stream().anyMatch(l -> l.mtu() == 1420));
            assertTrue(recorder.changed.stream().allMatch(l -> l.index() == index && l.name().equals("jwgtun0")));

            rtnl.deleteLink(index);
            awaitUntil(monitor, recorder, () -> !recorder.deleted.isEmpty());
            assertEquals(List.of(new LinkInfo(index, "jwgtun0", 1420, recorder.deleted.getFirst().flags())),
                    recorder.deleted);
            assertEquals(0, recorder.overruns);
            tun.close();
        }
    }

    @Test
    void closingTheTunIsReportedAsDeletion() throws Exception {
        try (NetNs ns = NetNs.create(); LinkMonitor monitor = ns.call(LinkMonitor::open)) {
            TunDevice tun = ns.call(() -> TunDevice.open("jwgtun0"));
            Recorder recorder = new Recorder();
            tun.close();
            awaitUntil(monitor, recorder, () -> !recorder.deleted.isEmpty());
            assertEquals(tun.index(), recorder.deleted.getFirst().index());
        }
    }

    @Test
    void monitorSeesOnlyItsOwnNamespace() throws Exception {
        try (NetNs ns = NetNs.create(); NetNs other = NetNs.create();
             LinkMonitor monitor = ns.call(LinkMonitor::open)) {
            other.call(() -> TunDevice.open("jwgtun0")).close();
            Recorder recorder = new Recorder();
            assertEquals(0, Libc.poll(monitor.fd(), POLLIN, 200));
            assertEquals(0, monitor.drain(recorder));
        }
    }

    @Test
    void lostNotificationsAreReportedAsOverrun() throws Exception {
        try (NetNs ns = NetNs.create(); LinkMonitor monitor = ns.call(LinkMonitor::open)) {
            Errno.check(Libc.setsockoptInt(monitor.fd(), SOL_SOCKET, SO_RCVBUF, 1), "setsockopt(SO_RCVBUF)");
            for (int i = 0; i < 50; i++) {
                String name = "jwgtun" + i;
                ns.call(() -> TunDevice.open(name)).close();
            }
            Recorder recorder = new Recorder();
            assertTrue(monitor.drain(recorder) > 0);
            assertTrue(recorder.overruns > 0, "ENOBUFS seen");
            assertTrue(recorder.deleted.size() < 50, recorder.deleted.size() + " deletions received");
            assertEquals(0, monitor.drain(recorder), "usable after the overrun");
        }
    }

    private static void awaitUntil(LinkMonitor monitor, Recorder recorder, java.util.function.BooleanSupplier done)
            throws Exception {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("no such notification within 5 s: changed " + recorder.changed + ", deleted " + recorder.deleted);
            }
            Errno.check(Libc.poll(monitor.fd(), POLLIN, 100), "poll");
            monitor.drain(recorder);
        }
    }
}
