package jwg.config;

import jwg.routing.Hooks;
import jwg.routing.Table;
import jwg.routing.Dns;
import jwg.net.IpPrefix;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The [Interface] section: wg's keys (PrivateKey, ListenPort, FwMark) and wg-quick's (Address, DNS,
 * MTU, Table, hooks, SaveConfig).
 *
 * @param privateKey absent when the file sets none (the interface then has no identity)
 * @param listenPort 0 means none given: the port is chosen at random when the interface comes up
 * @param fwMark     0 means off; otherwise an unsigned 32-bit mark
 * @param addresses  interface addresses with their prefix (host bits kept), in file order
 * @param mtu        absent means automatic (wg-quick: the route MTU to the endpoints minus 80)
 */
public record InterfaceConfig(Optional<Key> privateKey, int listenPort, long fwMark, List<IpPrefix> addresses,
                              Dns dns, OptionalInt mtu, Table table, Hooks hooks, boolean saveConfig) {
    public static final int MIN_MTU = 68;
    public static final int MAX_MTU = 65535;

    public InterfaceConfig {
        if (listenPort < 0 || listenPort > 65535) throw new IllegalArgumentException("listen port out of range");
        if (fwMark < 0 || fwMark > 0xffff_ffffL) throw new IllegalArgumentException("fwmark out of range");
        addresses = List.copyOf(addresses);
    }

    /** The public key of {@link #privateKey()}, derived with X25519. */
    public Optional<Key> publicKey() {
        return privateKey.map(Key::derivePublicKey);
    }
}
