package jwg.tun;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.function.Predicate;

import jwg.netlink.AddressInfo;
import jwg.netlink.LinkInfo;
import jwg.netlink.Rtnetlink;
import jwg.sys.Errno;
import jwg.sys.ErrnoException;
import jwg.sys.Libc;
import jwg.testing.NetNs;
import jwg.testing.Packets;
import org.junit.jupiter.api.Test;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static jwg.netlink.NetlinkConstants.IFA_F_NODAD;
import static jwg.sys.LibcConstants.FD_CLOEXEC;
import static jwg.sys.LibcConstants.F_GETFD;
import static jwg.sys.LibcConstants.F_GETFL;
import static jwg.sys.LibcConstants.O_NONBLOCK;
import static jwg.sys.LibcConstants.POLLIN;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

class TunDeviceTest {
    private static final int HEADROOM = 16;
    private static final int MAX_PACKET = 65535;

    @Test
    void createsNamedDeviceSeenByNetlinkAndIp() throws Exception {
        try (NetNs ns = NetNs.create(); TunDevice tun = ns.call(() -> TunDevice.open("jwgtun0"));
             Rtnetlink rtnl = ns.call(Rtnetlink::open)) {
            assertEquals("jwgtun0", tun.name());
            assertTrue(tun.index() > 1, "ifindex " + tun.index());
            LinkInfo link = rtnl.links().stream().filter(l -> l.name().equals("jwgtun0")).findFirst().orElseThrow();
            assertEquals(tun.index(), link.index());
            assertEquals(1500, link.mtu());
            assertFalse(link.isUp());
            assertEquals(tun.index(), rtnl.linkIndex("jwgtun0"));

            String ip = ns.ip("-j", "link", "show", "jwgtun0");
            assertTrue(ip.contains("\"ifindex\":" + tun.index() + ","), ip);
            assertTrue(ip.contains("\"ifname\":\"jwgtun0\""), ip);
            String details = ns.ip("-d", "-j", "link", "show", "jwgtun0");
            assertTrue(details.contains("\"pi\":false") && details.contains("\"multi_queue\":false")
                    && details.contains("\"persist\":false"), details);

            assertEquals(O_NONBLOCK, Libc.fcntl(tun.fd(), F_GETFL, 0) & O_NONBLOCK);
            assertEquals(FD_CLOEXEC, Libc.fcntl(tun.fd(), F_GETFD, 0) & FD_CLOEXEC);
        }
    }

    /** The TUN fd tells a move to another namespace (still attached, TUNGETDEVNETNS names the new one) from a deletion. */
    @Test
    void fdTellsAMoveFromADeletion() throws Exception {
        try (NetNs a = NetNs.create(); NetNs b = NetNs.create(); TunDevice tun = a.call(() -> TunDevice.open("jwgmv0"))) {
            assertTrue(tun.attached());
            assertEquals(namespaceInode("/var/run/netns/" + a.name()), namespaceOf(tun));
            a.ip("link", "set", "jwgmv0", "netns", b.name());
            assertTrue(tun.attached(), "moved, not deleted");
            assertEquals(namespaceInode("/var/run/netns/" + b.name()), namespaceOf(tun), "the namespace it is in now");
            assertEquals("jwgmv0", tun.currentName());
            b.ip("link", "set", "jwgmv0", "name", "jwgmv1");
            assertEquals("jwgmv1", tun.currentName());
            b.ip("link", "delete", "jwgmv1");
            assertFalse(tun.attached(), "deleted");
            ErrnoException e = assertThrows(ErrnoException.class, tun::namespace);
            assertEquals(Errno.EBADFD, e.errno());
        }
    }

    /** WG_TUN_FD: a queue opened by someone else is taken as it is (name and IFF_VNET_HDR from the kernel, made non-blocking). */
    @Test
    void adoptsAnOpenedQueue() throws Exception {
        try (NetNs ns = NetNs.create(); TunDevice opened = ns.call(() -> TunDevice.open(TunOptions.named("jwgad0").vnetHdr(true)))) {
            int fd = Libc.dup(opened.fd());
            assertTrue(fd >= 0);
            Libc.fcntl(fd, jwg.sys.LibcConstants.F_SETFL, 0); // blocking, as another program may hand it over
            try (TunDevice adopted = ns.call(() -> TunDevice.adopt(fd))) {
                assertEquals("jwgad0", adopted.name());
                assertEquals(opened.index(), adopted.index());
                assertTrue(adopted.vnetHdr());
                assertEquals(O_NONBLOCK, Libc.fcntl(fd, F_GETFL, 0) & O_NONBLOCK);
                assertEquals(-1, adopted.read(Arena.ofAuto().allocate(MAX_PACKET), 0, MAX_PACKET),
                        "non-blocking: nothing waiting");
            }
            int devNull = Libc.open("/dev/null", jwg.sys.LibcConstants.O_RDWR);
            try {
                assertThrows(ErrnoException.class, () -> TunDevice.adopt(devNull));
            } finally {
                Libc.close(devNull);
            }
        }
    }

    private static long namespaceOf(TunDevice tun) throws Exception {
        int fd = tun.namespace();
        try {
            return namespaceInode("/proc/self/fd/" + fd);
        } finally {
            Libc.close(fd);
        }
    }

    private static long namespaceInode(String path) throws Exception {
        return (Long) java.nio.file.Files.getAttribute(java.nio.file.Path.of(path), "unix:ino");
    }

    @Test
    void kernelAssignsNameWhenNoneGiven() throws Exception {
        try (NetNs ns = NetNs.create(); TunDevice tun = ns.call(() -> TunDevice.open((String) null))) {
            assertTrue(tun.name().matches("tun\\d+"), tun.name());
            assertTrue(ns.ip("-j", "link", "show", tun.name()).contains("\"ifindex\":" + tun.index() + ","));
        }
    }

    @Test
    void closeDeletesTheDevice() throws Exception {
        try (NetNs ns = NetNs.create(); Rtnetlink rtnl = ns.call(Rtnetlink::open)) {
            TunDevice tun = ns.call(() -> TunDevice.open("jwgtun0"));
            tun.close();
            tun.close(); // idempotent
            ErrnoException e = assertThrows(ErrnoException.class, () -> rtnl.linkIndex("jwgtun0"));
            assertEquals(Errno.ENODEV, e.errno());
        }
    }

    @Test
    void multiQueueDeviceHasOneFdPerQueue() throws Exception {
        try (NetNs ns = NetNs.create();
             TunDevice tun = ns.call(() -> TunDevice.open(TunOptions.named("jwgmq0").queues(3)))) {
            assertEquals(3, tun.queues().size());
            assertEquals(3, tun.queues().stream().mapToInt(TunQueue::fd).distinct().count());
            String details = ns.ip("-d", "-j", "link", "show", "jwgmq0");
            assertTrue(details.contains("\"multi_queue\":true") && details.contains("\"numqueues\":3"), details);
        }
    }

    @Test
    void invalidNamesAreRejectedBeforeTheKernel() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TunDevice.open("jwg-name-too-long"));
        assertTrue(e.getMessage().contains("1 to 15 bytes"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> TunDevice.open(""));
        assertThrows(IllegalArgumentException.class, () -> TunDevice.open("a/b"));
        assertThrows(IllegalArgumentException.class, () -> TunDevice.open("a b"));
        assertThrows(IllegalArgumentException.class, () -> TunOptions.defaults().queues(0));
        assertThrows(IllegalArgumentException.class, () -> TunOptions.defaults().queues(257));
        assertEquals("exactly15bytes_", InterfaceName.validate("exactly15bytes_"));
    }

    @Test
    void secondOpenOfAnAttachedNameIsBusy() throws Exception {
        try (NetNs ns = NetNs.create(); TunDevice tun = ns.call(() -> TunDevice.open("jwgtun0"))) {
            ErrnoException e = assertThrows(ErrnoException.class, () -> ns.call(() -> TunDevice.open("jwgtun0")));
            assertEquals(Errno.EBUSY, e.errno());
            assertEquals("ioctl(TUNSETIFF, jwgtun0)", e.call());
            assertTrue(e.getMessage().contains("EBUSY (Device or resource busy)"), e.getMessage());
            assertEquals(tun.index(), ns.call(() -> {
                try (Rtnetlink rtnl = Rtnetlink.open()) {
                    return rtnl.linkIndex("jwgtun0");
                }
            }));
        }
    }

    @Test
    void readWithNothingPendingReturnsMinusOneAtOnce() throws Exception {
        try (NetNs ns = NetNs.create(); TunDevice tun = ns.call(() -> TunDevice.open("jwgtun0"));
             Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(HEADROOM + MAX_PACKET);
            long start = System.nanoTime();
            for (int i = 0; i < 1000; i++) {
                assertEquals(-1, tun.read(buf, HEADROOM, MAX_PACKET));
            }
            long perRead = (System.nanoTime() - start) / 1000;
            assertTrue(perRead < 1_000_000, perRead + " ns per read");
        }
    }

    @Test
    void writeErrorsCarryErrno() throws Exception {
        try (NetNs ns = NetNs.create(); TunDevice tun = ns.call(() -> TunDevice.open("jwgtun0"));
             Rtnetlink rtnl = ns.call(Rtnetlink::open); Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(128);
            MemorySegment.copy(Packets.icmpEcho(ip4("10.9.0.2"), ip4("10.9.0.1"), 1, 1, new byte[8]), 0,
                    buf, JAVA_BYTE, 0, 36);
            ErrnoException down = assertThrows(ErrnoException.class, () -> tun.write(buf, 0, 36));
            assertEquals(Errno.EIO, down.errno(), "write while the link is down");
            assertEquals("write(tun)", down.call());

            rtnl.setLinkUp(tun.index(), true);
            assertEquals(36, tun.write(buf, 0, 36));
            buf.set(JAVA_BYTE, 0, (byte) 0x00); // IP version 0
            ErrnoException garbage = assertThrows(ErrnoException.class, () -> tun.write(buf, 0, 36));
            assertEquals(Errno.EINVAL, garbage.errno());
        }
    }

    @Test
    void heapSegmentsAndOutOfBoundsRegionsAreRejected() throws Exception {
        try (NetNs ns = NetNs.create(); TunDevice tun = ns.call(() -> TunDevice.open("jwgtun0"));
             Arena arena = Arena.ofConfined()) {
            assertThrows(IllegalArgumentException.class, () -> tun.read(MemorySegment.ofArray(new byte[2000]), 0, 2000));
            MemorySegment small = arena.allocate(100);
            assertThrows(IndexOutOfBoundsException.class, () -> tun.read(small, 16, 100));
        }
    }

    @Test
    void configuredDeviceAnswersPingThroughTheKernel() throws Exception {
        try (NetNs ns = NetNs.create(); TunDevice tun = ns.call(() -> TunDevice.open("jwgtun0"));
             Rtnetlink rtnl = ns.call(Rtnetlink::open); Arena arena = Arena.ofConfined()) {
            int index = tun.index();
            rtnl.setMtu(index, 1420);
            rtnl.setLinkUp(index, true);
            rtnl.addAddress(index, ip4("10.9.0.1"), 24);
            rtnl.addAddress(index, ip6("fd00::1"), 64, IFA_F_NODAD);

            String link = ns.ip("-j", "link", "show", "jwgtun0");
            assertTrue(link.contains("\"mtu\":1420") && link.contains("\"UP\""), link);
            String addresses = ns.ip("-j", "addr", "show", "dev", "jwgtun0");
            assertTrue(addresses.contains("\"local\":\"10.9.0.1\",\"prefixlen\":24"), addresses);
            assertTrue(addresses.contains("\"local\":\"fd00::1\",\"prefixlen\":64"), addresses);
            assertTrue(rtnl.addresses(index).stream().map(AddressInfo::toString).toList()
                    .containsAll(java.util.List.of("10.9.0.1/24 (ifindex " + index + ")",
                            "fd00:0:0:0:0:0:0:1/64 (ifindex " + index + ")")), rtnl.addresses(index).toString());

            MemorySegment buf = arena.allocate(HEADROOM + MAX_PACKET);
            byte[] payload = "jwg echo payload 0123456789".getBytes();

            byte[] request = Packets.icmpEcho(ip4("10.9.0.2"), ip4("10.9.0.1"), 0x4a57, 7, payload);
            MemorySegment.copy(request, 0, buf, JAVA_BYTE, HEADROOM, request.length);
            assertEquals(request.length, tun.write(buf, HEADROOM, request.length));
            byte[] reply = awaitPacket(tun, buf, p -> (p[0] >> 4) == 4 && p[9] == Packets.PROTO_ICMP
                    && p[20] == Packets.ICMP_ECHO_REPLY);
            assertEquals(request.length, reply.length);
            assertArrayEquals(ip4("10.9.0.1").getAddress(), Arrays.copyOfRange(reply, 12, 16));
            assertArrayEquals(ip4("10.9.0.2").getAddress(), Arrays.copyOfRange(reply, 16, 20));
            assertEquals(0, Packets.checksum(reply, 0, 20, 0), "IPv4 header checksum");
            assertEquals(0, Packets.checksum(reply, 20, reply.length - 20, 0), "ICMP checksum");
            assertEquals(0x4a57, ByteBuffer.wrap(reply).getShort(24) & 0xffff);
            assertEquals(7, ByteBuffer.wrap(reply).getShort(26));
            assertArrayEquals(payload, Arrays.copyOfRange(reply, 28, reply.length));

            byte[] request6 = Packets.icmpv6Echo(ip6("fd00::2"), ip6("fd00::1"), 0x4a57, 8, payload);
            MemorySegment.copy(request6, 0, buf, JAVA_BYTE, HEADROOM, request6.length);
            assertEquals(request6.length, tun.write(buf, HEADROOM, request6.length));
            byte[] reply6 = awaitPacket(tun, buf, p -> (p[0] >> 4) == 6 && p[6] == Packets.PROTO_ICMPV6
                    && (p[40] & 0xff) == Packets.ICMPV6_ECHO_REPLY);
            assertArrayEquals(ip6("fd00::1").getAddress(), Arrays.copyOfRange(reply6, 8, 24));
            assertEquals(0, Packets.icmpv6Checksum(reply6), "ICMPv6 checksum");
            assertArrayEquals(payload, Arrays.copyOfRange(reply6, 48, reply6.length));
        }
    }

    @Test
    void vnetHdrDeviceTakesOffloadsAndPrefixesEveryPacket() throws Exception {
        try (NetNs ns = NetNs.create();
             TunDevice tun = ns.call(() -> TunDevice.open(TunOptions.named("jwgtun0").vnetHdr(true)));
             Rtnetlink rtnl = ns.call(Rtnetlink::open); Arena arena = Arena.ofConfined()) {
            assertTrue(tun.vnetHdr());
            ErrnoException unknown = assertThrows(ErrnoException.class, () -> tun.setOffload(0x1000));
            assertEquals(Errno.EINVAL, unknown.errno());
            tun.setOffload(TunOffload.CSUM | TunOffload.TSO4 | TunOffload.TSO6 | TunOffload.USO4 | TunOffload.USO6);
            rtnl.setLinkUp(tun.index(), true);
            rtnl.addAddress(tun.index(), ip4("10.9.0.1"), 24);

            // Written with a zeroed header (no GSO, checksum complete), answered with a header in front.
            MemorySegment buf = arena.allocate(HEADROOM + MAX_PACKET);
            byte[] request = Packets.icmpEcho(ip4("10.9.0.2"), ip4("10.9.0.1"), 9, 1, new byte[32]);
            buf.asSlice(HEADROOM - 10, 10).fill((byte) 0);
            MemorySegment.copy(request, 0, buf, JAVA_BYTE, HEADROOM, request.length);
            assertEquals(10 + request.length, tun.write(buf, HEADROOM - 10, 10 + request.length));
            byte[] reply = awaitPacket(tun, buf, p -> p.length > 30 && (p[10] >> 4) == 4 && p[10 + 9] == Packets.PROTO_ICMP);
            assertEquals(10 + request.length, reply.length);
            assertEquals(0, reply[1], "gso_type NONE");

            // With CSUM offloaded, the kernel leaves a UDP checksum partial: NEEDS_CSUM, start 20, offset 6.
            ns.call(() -> {
                try (java.net.DatagramSocket s = new java.net.DatagramSocket()) {
                    s.send(new java.net.DatagramPacket(new byte[100], 100, ip4("10.9.0.2"), 5000));
                }
                return null;
            });
            byte[] udp = awaitPacket(tun, buf, p -> p.length > 30 && (p[10] >> 4) == 4 && p[10 + 9] == 17);
            ByteBuffer hdr = ByteBuffer.wrap(udp).order(java.nio.ByteOrder.LITTLE_ENDIAN);
            assertEquals(1, udp[0], "VIRTIO_NET_HDR_F_NEEDS_CSUM");
            assertEquals(0, udp[1], "gso_type NONE");
            assertEquals(20, hdr.getShort(6), "csum_start");
            assertEquals(6, hdr.getShort(8), "csum_offset");
            assertEquals(10 + 20 + 8 + 100, udp.length);
        }
    }

    @Test
    void offloadNeedsVnetHdr() throws Exception {
        try (NetNs ns = NetNs.create(); TunDevice tun = ns.call(() -> TunDevice.open("jwgtun0"))) {
            assertFalse(tun.vnetHdr());
            assertThrows(IllegalStateException.class, () -> tun.setOffload(TunOffload.CSUM));
            assertEquals(0, tun.enableOffloads((flags, e) -> fail("nothing is asked for")));
        }
    }

    @Test
    void enableOffloadsTakesUsoWhereTheKernelHasIt() throws Exception {
        try (NetNs ns = NetNs.create(); TunDevice tun = ns.call(() -> TunDevice.open(TunOptions.named("jwgtun0").vnetHdr(true)))) {
            java.util.List<Integer> refused = new java.util.ArrayList<>();
            int flags = tun.enableOffloads((f, e) -> refused.add(f));
            // USO since Linux 6.2: refused before, and then the basic set is taken.
            assertEquals(refused.isEmpty() ? TunOffload.WITH_USO : TunOffload.BASIC, flags);
            assertTrue(refused.isEmpty() || refused.equals(java.util.List.of(TunOffload.WITH_USO)), refused.toString());
        }
    }

    @Test
    void longerPacketIsTruncatedToMax() throws Exception {
        try (NetNs ns = NetNs.create(); TunDevice tun = ns.call(() -> TunDevice.open("jwgtun0"));
             Rtnetlink rtnl = ns.call(Rtnetlink::open); Arena arena = Arena.ofConfined()) {
            rtnl.setLinkUp(tun.index(), true);
            rtnl.addAddress(tun.index(), ip4("10.9.0.1"), 24);
            MemorySegment buf = arena.allocate(HEADROOM + MAX_PACKET);
            byte[] request = Packets.icmpEcho(ip4("10.9.0.2"), ip4("10.9.0.1"), 1, 1, new byte[200]);
            MemorySegment.copy(request, 0, buf, JAVA_BYTE, HEADROOM, request.length);
            tun.write(buf, HEADROOM, request.length);
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (System.nanoTime() < deadline) {
                buf.fill((byte) 0x55);
                int n = tun.read(buf, HEADROOM, 60);
                if (n < 0) {
                    Libc.poll(tun.fd(), POLLIN, 100);
                } else if ((buf.get(JAVA_BYTE, HEADROOM) >> 4) == 4) {
                    assertEquals(60, n, "silently truncated to max");
                    assertEquals(request.length, buf.asSlice(HEADROOM + 2, 2).toArray(JAVA_BYTE)[1] & 0xff,
                            "the IPv4 total length still tells the real size");
                    assertEquals(0x55, buf.get(JAVA_BYTE, HEADROOM + 60), "nothing written past max");
                    return;
                }
            }
            fail("no echo reply");
        }
    }

    /** Reads packets (at offset HEADROOM) until one matches; others (IPv6 router solicitations, MLD) are skipped. */
    static byte[] awaitPacket(TunDevice tun, MemorySegment buf, Predicate<byte[]> match) throws ErrnoException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (System.nanoTime() < deadline) {
            int n = tun.read(buf, HEADROOM, MAX_PACKET);
            if (n < 0) {
                Errno.check(Libc.poll(tun.fd(), POLLIN, 100), "poll");
                continue;
            }
            byte[] packet = buf.asSlice(HEADROOM, n).toArray(JAVA_BYTE);
            if (match.test(packet)) {
                return packet;
            }
        }
        return fail("no matching packet from the TUN within 5 s");
    }

    @Test
    void hotPathsDoNotAllocate() throws Exception {
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        try (NetNs ns = NetNs.create(); TunDevice tun = ns.call(() -> TunDevice.open("jwgtun0"));
             Rtnetlink rtnl = ns.call(Rtnetlink::open); Arena arena = Arena.ofConfined()) {
            rtnl.setLinkUp(tun.index(), true);
            rtnl.addAddress(tun.index(), ip4("10.9.0.1"), 24);
            MemorySegment buf = arena.allocate(HEADROOM + MAX_PACKET);
            // To an address beyond the TUN: the kernel forwards nothing (forwarding is off) and answers nothing.
            byte[] packet = Packets.icmpEcho(ip4("10.9.0.2"), ip4("10.9.0.3"), 1, 1, new byte[1372]);
            MemorySegment.copy(packet, 0, buf, JAVA_BYTE, HEADROOM, packet.length);
            MemorySegment rx = arena.allocate(HEADROOM + MAX_PACKET);
            long allocated = 0;
            for (int round = 0; round < 10; round++) {
                long before = threads.getCurrentThreadAllocatedBytes();
                for (int i = 0; i < 20_000; i++) {
                    tun.write(buf, HEADROOM, packet.length);
                    while (tun.read(rx, HEADROOM, MAX_PACKET) >= 0) {
                        // drain whatever the kernel sends (e.g. router solicitations)
                    }
                }
                allocated = threads.getCurrentThreadAllocatedBytes() - before;
                if (allocated == 0) {
                    break;
                }
            }
            assertEquals(0, allocated, "bytes allocated by 20000 writes and reads once compiled");
        }
    }

    static Inet4Address ip4(String address) throws Exception {
        return (Inet4Address) InetAddress.getByName(address);
    }

    static Inet6Address ip6(String address) throws Exception {
        return (Inet6Address) InetAddress.getByName(address);
    }
}
