package jwg.tun;

/**
 * How to open a {@link TunDevice}: the interface name (null: the kernel picks "tunN") and the
 * number of queues (more than one opens the device with IFF_MULTI_QUEUE; one fd per queue, so
 * that each datapath thread can own one), and whether each packet read or written is preceded by
 * a {@code struct virtio_net_hdr} (IFF_VNET_HDR: the way to checksum and segmentation offloads, see
 * {@link TunDevice#setOffload}). Immutable; the withers return copies.
 */
public final class TunOptions {
    private final String name;
    private final int queues;
    private final boolean vnetHdr;

    private TunOptions(String name, int queues, boolean vnetHdr) {
        this.name = name;
        this.queues = queues;
        this.vnetHdr = vnetHdr;
    }

    /** A single-queue device with a kernel-assigned name. */
    public static TunOptions defaults() {
        return new TunOptions(null, 1, false);
    }

    /** A single-queue device named {@code name}. */
    public static TunOptions named(String name) {
        return defaults().name(name);
    }

    /**
     * @param name 1 to 15 bytes, as {@link InterfaceName#validate}; null for a kernel-assigned name
     */
    public TunOptions name(String name) {
        return new TunOptions(name == null ? null : InterfaceName.validate(name), queues, vnetHdr);
    }

    /** @param queues 1 to 256 */
    public TunOptions queues(int queues) {
        if (queues < 1 || queues > TunConstants.MAX_TAP_QUEUES) {
            throw new IllegalArgumentException("queues must be 1 to " + TunConstants.MAX_TAP_QUEUES + ": " + queues);
        }
        return new TunOptions(name, queues, vnetHdr);
    }

    /** With IFF_VNET_HDR: every read and write starts with a 10-byte {@code struct virtio_net_hdr}. */
    public TunOptions vnetHdr(boolean vnetHdr) {
        return new TunOptions(name, queues, vnetHdr);
    }

    public String name() {
        return name;
    }

    public int queues() {
        return queues;
    }

    public boolean vnetHdr() {
        return vnetHdr;
    }

    /** The IFF_* flags for TUNSETIFF. */
    short flags() {
        int flags = TunConstants.IFF_TUN | TunConstants.IFF_NO_PI;
        if (queues > 1) flags |= TunConstants.IFF_MULTI_QUEUE;
        if (vnetHdr) flags |= TunConstants.IFF_VNET_HDR;
        return (short) flags;
    }
}
