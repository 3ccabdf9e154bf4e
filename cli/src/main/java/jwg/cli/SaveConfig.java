package jwg.cli;

import jwg.routing.Table;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.InterfaceAddress;
import java.net.NetworkInterface;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Consumer;
import jwg.config.ConfigWriter;
import jwg.config.Endpoint;
import jwg.config.InterfaceConfig;
import jwg.net.IpPrefix;
import jwg.config.Key;
import jwg.config.PeerConfig;
import jwg.config.WgQuickConfig;
import jwg.datapath.DeviceState;
import jwg.datapath.PeerState;
import jwg.routing.ConfigSaver;

/**
 * wg-quick's save_config: on down, with SaveConfig = true, and for `jwg save`, the live
 * configuration replaces the file. The [Interface] keys of wg-quick come from the interface as it is now (its addresses; the
 * link's MTU when the file gave one) and from the file (DNS, Table, the hooks unexpanded,
 * SaveConfig as the file has it); the rest is what `wg showconf` prints (the bound ListenPort, FwMark, the
 * keys, each peer's current endpoint, allowed IPs, keepalive). The text goes to a temporary file
 * (mode 0600) in the file's directory, is synced, and renamed over the file's real path (symlinks
 * followed, as wg-quick's `readlink -f`). Keys are written to the file only, never logged.
 */
final class SaveConfig implements ConfigSaver {
    /** What the device and interface are now: the device's state, and where its interface lives. */
    interface Live {
        DeviceState state() throws IOException;

        /** The interface's addresses (with prefix length) and MTU; empty when it is gone. */
        Optional<Link> link() throws IOException;
    }

    record Link(List<IpPrefix> addresses, int mtu) {}

    private final WgQuickConfig config;
    private final Path path;
    private final Live live;
    private final Consumer<String> log;

    SaveConfig(WgQuickConfig config, Path path, Live live, Consumer<String> log) {
        this.config = config;
        this.path = path;
        this.live = live;
        this.log = log;
    }

    /** The live view of a running interface called name, in this process's network namespace. */
    static Live live(String name, jwg.datapath.Device device) {
        return new Live() {
            @Override public DeviceState state() throws IOException {
                return device.state();
            }

            @Override public Optional<Link> link() throws IOException {
                return SaveConfig.link(name);
            }
        };
    }

    /** The addresses and MTU of the interface called name in this process's network namespace; empty when there is none. */
    static Optional<Link> link(String name) throws IOException {
        NetworkInterface ni = NetworkInterface.getByName(name);
        if (ni == null) return Optional.empty();
        List<IpPrefix> addresses = new ArrayList<>();
        for (InterfaceAddress a : ni.getInterfaceAddresses()) {
            addresses.add(new IpPrefix(a.getAddress().getAddress(), a.getNetworkPrefixLength()));
        }
        return Optional.of(new Link(addresses, ni.getMTU()));
    }

    @Override
    public void save() throws IOException {
        Path target = path.toRealPath(); // readlink -f (Up resolves it at start, as wg-quick does)
        String name = config.interfaceName();
        Link link = live.link().orElseThrow(() -> new IOException("interface " + name + " is gone; "
                + target + " is left as it was"));
        log.accept("[#] wg showconf " + name);
        DeviceState state = live.state();
        byte[] text = null;
        try {
            text = ConfigWriter.write(liveConfig(config, link, state)).getBytes(StandardCharsets.UTF_8);
            writeAtomically(target, text);
        } finally {
            state.wipe();
            if (text != null) Arrays.fill(text, (byte) 0);
        }
    }

    /** The configuration to save: the file's wg-quick keys with the live addresses and MTU, and the device's state. */
    static WgQuickConfig liveConfig(WgQuickConfig config, Link link, DeviceState state) {
        InterfaceConfig file = config.interfaceConfig();
        InterfaceConfig saved = new InterfaceConfig(
                state.privateKey().map(Key::new).filter(k -> !k.isZero()),
                state.listenPort(),
                Integer.toUnsignedLong(state.fwmark()),
                addresses(file.addresses(), link.addresses()),
                file.dns(),
                file.mtu().isPresent() ? OptionalInt.of(link.mtu()) : OptionalInt.empty(),
                file.table(),
                file.hooks(),
                file.saveConfig()); // true on down; `jwg save` keeps what the file says, as wg-quick's save_config
        List<PeerConfig> peers = new ArrayList<>();
        for (PeerState p : state.peers()) {
            Key psk = new Key(p.presharedKey());
            peers.add(new PeerConfig(new Key(p.publicKey()), psk.isZero() ? Optional.empty() : Optional.of(psk),
                    p.endpoint().map(SaveConfig::endpoint),
                    p.allowedIps().stream().map(a -> new IpPrefix(a.address(), a.length())).toList(),
                    p.persistentKeepalive()));
        }
        return new WgQuickConfig(config.interfaceName(), saved, peers, config.source());
    }

    /**
     * The interface's addresses as `ip -brief address` lists them for wg-quick: IPv4 before IPv6.
     * Within a family, those from the file keep the file's order, others follow. An IPv6
     * link-local address the file did not give is the kernel's own (a TUN gets one; WireGuard's
     * kernel interface does not), so it is not saved.
     */
    static List<IpPrefix> addresses(List<IpPrefix> fromFile, List<IpPrefix> live) {
        List<IpPrefix> out = new ArrayList<>();
        for (IpPrefix a : fromFile) if (live.contains(a) && !out.contains(a)) out.add(a);
        for (IpPrefix a : live) {
            if (out.contains(a)) continue;
            if (!a.isIpv4() && (a.address()[0] & 0xff) == 0xfe && (a.address()[1] & 0xc0) == 0x80) continue;
            out.add(a);
        }
        out.sort(Comparator.comparing(a -> !a.isIpv4())); // stable
        return out;
    }

    private static Endpoint endpoint(InetSocketAddress address) {
        InetAddress ip = address.getAddress();
        String host = new IpPrefix(ip.getAddress(), ip.getAddress().length * 8).toString();
        host = host.substring(0, host.indexOf('/'));
        if (ip instanceof Inet6Address v6 && v6.getScopeId() != 0) {
            host += "%" + (v6.getScopedInterface() != null ? v6.getScopedInterface().getName() : Integer.toString(v6.getScopeId()));
        }
        return new Endpoint(host, address.getPort());
    }

    /** A temporary file (0600) beside target, synced, then renamed over it. */
    static void writeAtomically(Path target, byte[] text) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Path tmp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer b = ByteBuffer.wrap(text);
                while (b.hasRemaining()) out.write(b);
                out.force(true);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("cannot rename " + tmp + " over " + target + ": " + e.getMessage());
            }
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException ignored) {
            // the rename is done; a directory that cannot be synced is not an error
        }
    }
}
