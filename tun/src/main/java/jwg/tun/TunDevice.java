package jwg.tun;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

import jwg.sys.Errno;
import jwg.sys.ErrnoException;
import jwg.sys.Libc;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;
import static jwg.sys.LibcConstants.AF_INET;
import static jwg.sys.LibcConstants.F_GETFL;
import static jwg.sys.LibcConstants.F_SETFL;
import static jwg.sys.LibcConstants.O_CLOEXEC;
import static jwg.sys.LibcConstants.O_NONBLOCK;
import static jwg.sys.LibcConstants.O_RDWR;
import static jwg.sys.LibcConstants.SOCK_CLOEXEC;
import static jwg.sys.LibcConstants.SOCK_DGRAM;

/**
 * A layer-3 TUN interface (IFF_TUN | IFF_NO_PI) with one or more non-blocking queues. The
 * interface lives in the network namespace of the thread that opens it and disappears when it
 * is closed (it is not persistent). It starts down, without addresses: configure it with
 * {@code jwg.netlink.Rtnetlink} using {@link #index()}.
 * <p>
 * {@link #fd()}, {@link #read} and {@link #write} are those of queue 0, for single-queue use.
 * See the package documentation for the buffer contract.
 */
public final class TunDevice implements AutoCloseable {
    private final String name;
    private final int index;
    private final List<TunQueue> queues;
    private final boolean vnetHdr;

    private TunDevice(String name, int index, List<TunQueue> queues, boolean vnetHdr) {
        this.name = name;
        this.index = index;
        this.queues = queues;
        this.vnetHdr = vnetHdr;
    }

    /** Opens a single-queue device named {@code name} (null: kernel-assigned). */
    public static TunDevice open(String name) throws ErrnoException {
        return open(TunOptions.defaults().name(name));
    }

    /**
     * Creates the interface, or attaches to an existing one of the same name and flags (e.g.
     * persistent, or multi-queue with free queue slots).
     *
     * @throws ErrnoException e.g. EBUSY if the name is taken by a device with other flags or
     *     already attached, EPERM without CAP_NET_ADMIN, ENOENT if /dev/net/tun is missing
     */
    public static TunDevice open(TunOptions options) throws ErrnoException {
        List<TunQueue> queues = new ArrayList<>(options.queues());
        String name = options.name();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment ifr = arena.allocate(TunConstants.IFREQ_SIZE);
            for (int i = 0; i < options.queues(); i++) {
                int fd = Errno.check(Libc.open(TunConstants.DEV_NET_TUN, O_RDWR | O_NONBLOCK | O_CLOEXEC),
                        "open(" + TunConstants.DEV_NET_TUN + ")");
                queues.add(new TunQueue(fd));
                ifr.fill((byte) 0);
                if (name != null) {
                    ifr.setString(TunConstants.IFR_NAME, name);
                }
                ifr.set(JAVA_SHORT, TunConstants.IFR_FLAGS, options.flags());
                Errno.check(Libc.ioctl(fd, TunConstants.TUNSETIFF, ifr),
                        "ioctl(TUNSETIFF, " + (name == null ? "" : name) + ")");
                name = ifr.getString(TunConstants.IFR_NAME); // the kernel writes back the actual name
            }
            return new TunDevice(name, index(name, ifr), List.copyOf(queues), options.vnetHdr());
        } catch (ErrnoException | RuntimeException e) {
            queues.forEach(TunQueue::close);
            throw e;
        }
    }

    /**
     * A device opened by someone else (wireguard-go's WG_TUN_FD: a container runtime, or a parent
     * that opened it in another namespace): fd is an attached TUN queue, now owned by the returned
     * device (closed with it). Made non-blocking; the name and IFF_VNET_HDR come from the kernel
     * (TUNGETIFF), the index from the calling thread's namespace. Only IFF_TUN | IFF_NO_PI
     * devices are taken: the datapath reads bare IP packets.
     *
     * @throws ErrnoException EBADFD if fd is not attached to a device, EINVAL if it is not a
     *     layer-3 TUN without packet information, ENODEV if its interface is in another namespace
     */
    public static TunDevice adopt(int fd) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment ifr = arena.allocate(TunConstants.IFREQ_SIZE);
            Errno.check(Libc.ioctl(fd, TunConstants.TUNGETIFF, ifr), "ioctl(TUNGETIFF, fd " + fd + ")");
            short flags = ifr.get(JAVA_SHORT, TunConstants.IFR_FLAGS);
            short wanted = TunConstants.IFF_TUN | TunConstants.IFF_NO_PI;
            if ((flags & (wanted | TunConstants.IFF_TAP)) != wanted) {
                throw new ErrnoException("fd " + fd + " is not a TUN device without packet information", Errno.EINVAL);
            }
            String name = ifr.getString(TunConstants.IFR_NAME);
            int fl = Errno.check(Libc.fcntl(fd, F_GETFL, 0), "fcntl(F_GETFL)");
            Errno.check(Libc.fcntl(fd, F_SETFL, fl | O_NONBLOCK), "fcntl(F_SETFL, O_NONBLOCK)");
            return new TunDevice(name, index(name, ifr), List.of(new TunQueue(fd)),
                    (flags & TunConstants.IFF_VNET_HDR) != 0);
        }
    }

    /** SIOCGIFINDEX on a throwaway socket (the TUN fd does not answer it). */
    private static int index(String name, MemorySegment ifr) throws ErrnoException {
        int sock = Errno.check(Libc.socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0), "socket(AF_INET)");
        try {
            ifr.fill((byte) 0);
            ifr.setString(TunConstants.IFR_NAME, name);
            Errno.check(Libc.ioctl(sock, TunConstants.SIOCGIFINDEX, ifr), "ioctl(SIOCGIFINDEX, " + name + ")");
            return ifr.get(JAVA_INT, TunConstants.IFR_IFINDEX);
        } finally {
            Libc.close(sock);
        }
    }

    /** Whether every packet read and written starts with a {@code struct virtio_net_hdr} (IFF_VNET_HDR). */
    public boolean vnetHdr() {
        return vnetHdr;
    }

    /**
     * TUNSETOFFLOAD: lets the kernel hand this device packets that need the given
     * {@link TunOffload} flags (0: none). Only for a device opened with IFF_VNET_HDR.
     *
     * @throws ErrnoException EINVAL if the kernel does not know one of the flags
     */
    public void setOffload(int flags) throws ErrnoException {
        if (!vnetHdr) throw new IllegalStateException(name + " was opened without IFF_VNET_HDR");
        Errno.check(Libc.ioctl(queues.getFirst().fd(), TunConstants.TUNSETOFFLOAD, MemorySegment.ofAddress(flags & 0xffffffffL)),
                "ioctl(TUNSETOFFLOAD, " + TunOffload.describe(flags) + ")");
    }

    /** Told each set of offloads the kernel refused while {@link #enableOffloads} probed. */
    public interface OffloadRefused {
        void refused(int flags, ErrnoException e);
    }

    /**
     * TUNSETOFFLOAD with the most this kernel takes: {@link TunOffload#WITH_USO}, else
     * {@link TunOffload#BASIC} (USO needs Linux 6.2). Returns the flags set: 0 if the kernel took
     * neither or the device was opened without IFF_VNET_HDR. Each refusal goes to refused.
     */
    public int enableOffloads(OffloadRefused refused) {
        if (!vnetHdr) return 0;
        for (int flags : new int[] {TunOffload.WITH_USO, TunOffload.BASIC}) {
            try {
                setOffload(flags);
                return flags;
            } catch (ErrnoException e) {
                refused.refused(flags, e);
            }
        }
        return 0;
    }

    /** The interface name the kernel gave the device. */
    public String name() {
        return name;
    }

    /**
     * Whether the interface still exists: TUNGETIFF answers EBADFD once it was deleted, in
     * whichever namespace it was then. A move to another namespace keeps it attached.
     */
    public boolean attached() {
        try (Arena arena = Arena.ofConfined()) {
            return Libc.ioctl(fd(), TunConstants.TUNGETIFF, arena.allocate(TunConstants.IFREQ_SIZE)) >= 0;
        }
    }

    /** The interface's name now (TUNGETIFF): it may have been renamed since it was opened. */
    public String currentName() throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment ifr = arena.allocate(TunConstants.IFREQ_SIZE);
            Errno.check(Libc.ioctl(fd(), TunConstants.TUNGETIFF, ifr), "ioctl(TUNGETIFF, " + name + ")");
            return ifr.getString(TunConstants.IFR_NAME);
        }
    }

    /**
     * TUNGETDEVNETNS: a new file descriptor (the caller closes it) of the network namespace the
     * interface is in now, which after {@code ip link set IF netns OTHER} is no longer the one it
     * was created in; for setns(2).
     *
     * @throws ErrnoException EBADFD if the interface was deleted, ENOTTY before Linux 5.2
     */
    public int namespace() throws ErrnoException {
        return Errno.check(Libc.ioctl(fd(), TunConstants.TUNGETDEVNETNS, MemorySegment.NULL), "ioctl(TUNGETDEVNETNS, " + name + ")");
    }

    /** The interface index in the namespace it was opened in, at the time of opening. */
    public int index() {
        return index;
    }

    public List<TunQueue> queues() {
        return queues;
    }

    public TunQueue queue(int i) {
        return queues.get(i);
    }

    /** Queue 0's fd. */
    public int fd() {
        return queues.getFirst().fd();
    }

    /** Queue 0's {@link TunQueue#read}: the packet's length, or -1 if none is waiting. */
    public int read(MemorySegment dst, long off, int max) throws ErrnoException {
        return queues.getFirst().read(dst, off, max);
    }

    /** Queue 0's {@link TunQueue#write}: {@code len}, or -1 on EAGAIN. */
    public int write(MemorySegment src, long off, int len) throws ErrnoException {
        return queues.getFirst().write(src, off, len);
    }

    /** Closes every queue, which deletes the interface. Idempotent. */
    @Override
    public void close() {
        queues.forEach(TunQueue::close);
    }

    @Override
    public String toString() {
        return "TunDevice[" + name + ", index " + index + ", " + queues.size() + " queue(s)]";
    }
}
