package jwg.netlink;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

import jwg.sys.Errno;
import jwg.sys.ErrnoException;
import jwg.testing.NetNs;
import jwg.tun.TunDevice;
import org.junit.jupiter.api.Test;

import static jwg.netlink.NetlinkConstants.IFA_F_NODAD;
import static jwg.netlink.NetlinkConstants.IFA_F_PERMANENT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RtnetlinkTest {

    @Test
    void loopbackIsIndexOneAndUnknownNamesAreEnodev() throws Exception {
        try (NetNs ns = NetNs.create(); Rtnetlink rtnl = ns.call(Rtnetlink::open)) {
            LinkInfo lo = rtnl.link("lo");
            assertEquals(1, lo.index());
            assertEquals(65536, lo.mtu());
            assertEquals(List.of(lo), rtnl.links());
            ErrnoException e = assertThrows(ErrnoException.class, () -> rtnl.linkIndex("jwgnothere"));
            assertEquals(Errno.ENODEV, e.errno());
            assertEquals("RTM_GETLINK(jwgnothere)", e.call());
        }
    }

    @Test
    void linkUpDownAndMtu() throws Exception {
        try (NetNs ns = NetNs.create(); TunDevice tun = ns.call(() -> TunDevice.open("jwgtun0"));
             Rtnetlink rtnl = ns.call(Rtnetlink::open)) {
            rtnl.setLinkUp(tun.index(), true);
            rtnl.setMtu(tun.index(), 1420);
            LinkInfo up = rtnl.link("jwgtun0");
            assertTrue(up.isUp());
            assertEquals(1420, up.mtu());
            assertTrue(ns.ip("-j", "link", "show", "jwgtun0").contains("\"mtu\":1420"));
            rtnl.setLinkUp(tun.index(), false);
            assertFalse(rtnl.link("jwgtun0").isUp());
            assertFalse(ns.ip("-j", "link", "show", "jwgtun0").contains("\"UP\""));
        }
    }

    @Test
    void addressesAddListAndDelete() throws Exception {
        try (NetNs ns = NetNs.create(); TunDevice tun = ns.call(() -> TunDevice.open("jwgtun0"));
             Rtnetlink rtnl = ns.call(Rtnetlink::open)) {
            int index = tun.index();
            rtnl.setLinkUp(index, true);
            InetAddress v4 = InetAddress.getByName("10.9.0.1");
            InetAddress v6 = InetAddress.getByName("fd00::1");
            InetAddress v6dad = InetAddress.getByName("fd00:1::1");
            rtnl.addAddress(index, v4, 24);
            rtnl.addAddress(index, v6, 64, IFA_F_NODAD);
            rtnl.addAddress(index, v6dad, 64);

            List<AddressInfo> addresses = rtnl.addresses(index);
            AddressInfo a4 = find(addresses, v4);
            assertEquals(24, a4.prefixLength());
            assertTrue((a4.flags() & IFA_F_PERMANENT) != 0);
            AddressInfo a6 = find(addresses, v6);
            assertEquals(64, a6.prefixLength());
            assertTrue((a6.flags() & IFA_F_NODAD) != 0);
            // A TUN is IFF_NOARP, so the kernel skips DAD there anyway; only the flag differs.
            assertEquals(0, find(addresses, v6dad).flags() & IFA_F_NODAD);
            assertTrue(rtnl.addresses(1).stream().noneMatch(a -> a.index() != 1), "filtered by ifindex");
            String ip = ns.ip("-j", "addr", "show", "dev", "jwgtun0");
            assertTrue(ip.contains("\"local\":\"10.9.0.1\",\"prefixlen\":24"), ip);
            assertTrue(ip.contains("\"local\":\"fd00::1\",\"prefixlen\":64"), ip);

            ErrnoException exists = assertThrows(ErrnoException.class, () -> rtnl.addAddress(index, v4, 24));
            assertEquals(Errno.EEXIST, exists.errno());

            rtnl.deleteAddress(index, v4, 24);
            rtnl.deleteAddress(index, v6, 64);
            assertTrue(rtnl.addresses(index).stream().noneMatch(a -> a.address().equals(v4) || a.address().equals(v6)));
            assertFalse(ns.ip("-j", "addr", "show", "dev", "jwgtun0").contains("10.9.0.1"));
            ErrnoException absent = assertThrows(ErrnoException.class, () -> rtnl.deleteAddress(index, v4, 24));
            assertEquals(Errno.EADDRNOTAVAIL, absent.errno());
        }
    }

    private static AddressInfo find(List<AddressInfo> addresses, InetAddress address) {
        return addresses.stream().filter(a -> a.address().equals(address)).findFirst()
                .orElseThrow(() -> new AssertionError(address + " not in " + addresses));
    }

    @Test
    void badRequestsFailWithTheKernelsErrno() throws Exception {
        try (NetNs ns = NetNs.create(); TunDevice tun = ns.call(() -> TunDevice.open("jwgtun0"));
             Rtnetlink rtnl = ns.call(Rtnetlink::open)) {
            int missing = 9999;
            ErrnoException noDevice = assertThrows(ErrnoException.class,
                    () -> rtnl.addAddress(missing, InetAddress.getByName("10.9.0.1"), 24));
            assertEquals(Errno.ENODEV, noDevice.errno());
            assertEquals("RTM_NEWADDR(10.9.0.1/24, ifindex 9999)", noDevice.call());
            assertEquals(Errno.ENODEV, assertThrows(ErrnoException.class, () -> rtnl.setLinkUp(missing, true)).errno());
            assertEquals(Errno.ENODEV, assertThrows(ErrnoException.class, () -> rtnl.deleteLink(missing)).errno());

            ErrnoException mtu = assertThrows(ErrnoException.class, () -> rtnl.setMtu(tun.index(), 70000));
            assertEquals(Errno.EINVAL, mtu.errno());
            assertTrue(mtu.getMessage().startsWith("RTM_NEWLINK(ifindex " + tun.index() + ", mtu 70000): EINVAL"),
                    mtu.getMessage());
            assertTrue(mtu.getMessage().toLowerCase().contains("mtu"), "extended ACK text: " + mtu.getMessage());

            assertThrows(IllegalArgumentException.class,
                    () -> rtnl.addAddress(tun.index(), InetAddress.getByName("10.9.0.1"), 33));
            // The socket is still in step after errors.
            assertEquals(tun.index(), rtnl.linkIndex("jwgtun0"));
        }
    }

    @Test
    void deleteLinkRemovesTheTunAndItsQueueSeesEbadfd() throws Exception {
        try (NetNs ns = NetNs.create(); TunDevice tun = ns.call(() -> TunDevice.open("jwgtun0"));
             Rtnetlink rtnl = ns.call(Rtnetlink::open);
             java.lang.foreign.Arena arena = java.lang.foreign.Arena.ofConfined()) {
            rtnl.deleteLink(tun.index());
            assertEquals(List.of("lo"), rtnl.links().stream().map(LinkInfo::name).toList());
            ErrnoException e = assertThrows(ErrnoException.class, () -> tun.read(arena.allocate(2048), 0, 2048));
            assertEquals(Errno.EBADFD, e.errno());
        }
    }

    @Test
    void multipartDumpOfManyLinks() throws Exception {
        List<TunDevice> tuns = new ArrayList<>();
        try (NetNs ns = NetNs.create(); Rtnetlink rtnl = ns.call(Rtnetlink::open)) {
            try {
                for (int i = 0; i < 120; i++) {
                    String name = "jwgd" + i;
                    tuns.add(ns.call(() -> TunDevice.open(name)));
                }
                List<LinkInfo> links = rtnl.links();
                assertEquals(121, links.size());
                for (TunDevice tun : tuns) {
                    assertTrue(links.contains(new LinkInfo(tun.index(), tun.name(), 1500, links.stream()
                            .filter(l -> l.index() == tun.index()).findFirst().orElseThrow().flags())));
                }
            } finally {
                tuns.forEach(TunDevice::close);
            }
        }
    }
}
