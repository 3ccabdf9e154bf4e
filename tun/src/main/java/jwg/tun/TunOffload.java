package jwg.tun;

/**
 * The offload flags of TUNSETOFFLOAD ({@code <linux/if_tun.h>} TUN_F_*): what the kernel may hand
 * a TUN opened with IFF_VNET_HDR. Each one means the kernel may send packets that need it; the
 * reader then completes checksums and splits super-packets itself.
 */
public final class TunOffload {
    private TunOffload() {}

    /** Packets may arrive with a partial checksum (VIRTIO_NET_HDR_F_NEEDS_CSUM); required by the others. */
    public static final int CSUM = 0x01;
    /** TCP over IPv4 super-packets (GSO_TCPV4). */
    public static final int TSO4 = 0x02;
    /** TCP over IPv6 super-packets (GSO_TCPV6). */
    public static final int TSO6 = 0x04;
    /** UDP super-packets (GSO_UDP_L4) over IPv4; Linux 6.2 and later. */
    public static final int USO4 = 0x20;
    /** UDP super-packets over IPv6; Linux 6.2 and later. */
    public static final int USO6 = 0x40;

    /** What a datapath asks for first: checksums and TCP segmentation, which any kernel with IFF_VNET_HDR takes. */
    public static final int BASIC = CSUM | TSO4 | TSO6;
    /** {@link #BASIC} and UDP segmentation (USO), Linux 6.2 and later. */
    public static final int WITH_USO = BASIC | USO4 | USO6;

    /** The flags as the names above, e.g. "csum tso4 tso6"; "none" for 0. */
    public static String describe(int flags) {
        if (flags == 0) return "none";
        StringBuilder b = new StringBuilder();
        String[] names = {"csum", "tso4", "tso6", "tso-ecn", "ufo", "uso4", "uso6"};
        for (int i = 0; i < names.length; i++) {
            if ((flags & (1 << i)) != 0) b.append(b.isEmpty() ? "" : " ").append(names[i]);
        }
        return b.toString();
    }
}
