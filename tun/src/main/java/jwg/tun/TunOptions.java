package jwg.tun;

/**
 * How to open a {@link TunDevice}: the interface name (null: the kernel picks "tunN") and the
 * number of queues (more than one opens the device with IFF_MULTI_QUEUE; one fd per queue, so
 * that each datapath thread can own one). Immutable; the withers return copies.
 */
public final class TunOptions {
    private final String name;
    private final int queues;

    private TunOptions(String name, int queues) {
        this.name = name;
        this.queues = queues;
    }

    /** A single-queue device with a kernel-assigned name. */
    public static TunOptions defaults() {
        return new TunOptions(null, 1);
    }

    /** A single-queue device named {@code name}. */
    public static TunOptions named(String name) {
        return defaults().name(name);
    }

    /**
     * @param name 1 to 15 bytes, as {@link InterfaceName#validate}; null for a kernel-assigned name
     */
    public TunOptions name(String name) {
        return new TunOptions(name == null ? null : InterfaceName.validate(name), queues);
    }

    /** @param queues 1 to 256 */
    public TunOptions queues(int queues) {
        if (queues < 1 || queues > TunConstants.MAX_TAP_QUEUES) {
            throw new IllegalArgumentException("queues must be 1 to " + TunConstants.MAX_TAP_QUEUES + ": " + queues);
        }
        return new TunOptions(name, queues);
    }

    public String name() {
        return name;
    }

    public int queues() {
        return queues;
    }

    /** The IFF_* flags for TUNSETIFF. */
    short flags() {
        short flags = TunConstants.IFF_TUN | TunConstants.IFF_NO_PI;
        return queues > 1 ? (short) (flags | TunConstants.IFF_MULTI_QUEUE) : flags;
    }
}
