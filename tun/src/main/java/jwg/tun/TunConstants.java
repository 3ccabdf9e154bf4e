package jwg.tun;

/** Kernel constants of the TUN driver and {@code struct ifreq}, named as in the C headers. */
final class TunConstants {
    private TunConstants() {}

    static final String DEV_NET_TUN = "/dev/net/tun";

    // <linux/if_tun.h>
    static final long TUNSETIFF = 0x400454caL; // _IOW('T', 202, int)
    static final short IFF_TUN = 0x0001;
    static final short IFF_TAP = 0x0002;
    static final short IFF_MULTI_QUEUE = 0x0100;
    static final short IFF_NO_PI = 0x1000;
    static final short IFF_VNET_HDR = 0x4000;
    static final long TUNSETOFFLOAD = 0x400454d0L; // _IOW('T', 208, unsigned int)
    static final long TUNGETIFF = 0x800454d2L; // _IOR('T', 210, unsigned int)
    /** A new fd of the network namespace the device is in now (Linux 5.2), not the one it was opened in. */
    static final long TUNGETDEVNETNS = 0x54e3L; // _IO('T', 227)
    /** Queues one device can have (MAX_TAP_QUEUES). */
    static final int MAX_TAP_QUEUES = 256;

    // <linux/sockios.h>
    static final long SIOCGIFINDEX = 0x8933;

    // <net/if.h>: struct ifreq { char ifr_name[IFNAMSIZ]; union { short ifr_flags; int ifr_ifindex; ... }; }
    static final int IFNAMSIZ = 16;
    static final int IFREQ_SIZE = 40;
    static final int IFR_NAME = 0;
    static final int IFR_FLAGS = 16;
    static final int IFR_IFINDEX = 16;
}
