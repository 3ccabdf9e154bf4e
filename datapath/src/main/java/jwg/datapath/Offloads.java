package jwg.datapath;

/**
 * Which offloads a device tries (each is also probed at start and falls back when the kernel
 * refuses it; the startup log names what is on). All on by default; a system property turns one
 * off, for kernels whose offloads misbehave (TUN GSO writes refused on 6.6.44, UDP GSO corruption
 * on 7.0-7.1.4) or to measure what each one brings:
 * <ul>
 * <li>{@code -Djwg.offload.tun=false}: the TUN without IFF_VNET_HDR: no checksum offload, no TSO
 *     super-packets on reads and no TCP coalescing (GRO) on writes;
 * <li>{@code -Djwg.offload.udp-gso=false}: one send per datagram (still batched by sendmmsg);
 * <li>{@code -Djwg.offload.udp-gro=false}: one receive per datagram.
 * </ul>
 * {@code -Djwg.offload=false} turns them all off.
 */
public record Offloads(boolean tun, boolean udpGso, boolean udpGro) {
    public static final String PROPERTY = "jwg.offload";

    public static Offloads all() {
        return new Offloads(true, true, true);
    }

    public static Offloads none() {
        return new Offloads(false, false, false);
    }

    /** From the system properties described above. */
    public static Offloads fromSystemProperties() {
        boolean all = on(PROPERTY, true);
        return new Offloads(on(PROPERTY + ".tun", all), on(PROPERTY + ".udp-gso", all), on(PROPERTY + ".udp-gro", all));
    }

    private static boolean on(String property, boolean otherwise) {
        String v = System.getProperty(property);
        return v == null ? otherwise : !v.trim().equalsIgnoreCase("false") && !v.trim().equalsIgnoreCase("off");
    }
}
