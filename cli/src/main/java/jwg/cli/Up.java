package jwg.cli;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import jwg.config.ConfigException;
import jwg.config.ConfigLocator;
import jwg.config.ConfigParser;
import jwg.config.ConfigPermissions;
import jwg.config.InterfaceConfig;
import jwg.net.IpPrefix;
import jwg.config.Key;
import jwg.config.PeerConfig;
import jwg.config.WgQuickConfig;
import jwg.datapath.CapacityException;
import jwg.datapath.Device;
import jwg.datapath.DeviceUpdate;
import jwg.datapath.Log;
import jwg.datapath.PeerCapacity;
import jwg.datapath.PeerUpdate;
import jwg.netlink.Rtnetlink;
import jwg.routing.ConfigSaver;
import jwg.routing.DeviceControl;
import jwg.routing.Session;
import jwg.routing.WgQuick;
import jwg.routing.WgQuickException;
import jwg.routing.WgQuickSpec;
import jwg.sys.Errno;
import jwg.sys.ErrnoException;
import jwg.tun.TunDevice;

/**
 * `jwg CONFIG`: what `wg-quick up CONFIG` does with the kernel module, and `wg-quick down` at the
 * end. It reads and checks the whole file and resolves its endpoints before anything on the host
 * is touched; then, in wg-quick's order: the interface (add_if), PreUp, the device's keys and
 * peers (set_config), and the routing module's steps (addresses, MTU, DNS, routes, the
 * full-tunnel rules, PostUp). It serves the UAPI socket and runs in the foreground until SIGINT or
 * SIGTERM, or until the interface or the socket file is deleted; then it undoes everything.
 * `jwg up` runs it in its background process ({@link QuickCommands}), with what it does {@link Around} it.
 */
final class Up {
    private Up() {}

    /** The MTU the device starts with; wg-quick's set_mtu_up then sets the file's or the automatic one. */
    static final int DEFAULT_MTU = 1420;

    /**
     * What the caller does around the interface's service: ready once it is up and its UAPI
     * socket listens (the background process lets go of its parent then), stopping when it is to
     * be undone, before anything is (`jwg down` takes the output of the teardown then).
     */
    record Around(Runnable ready, Runnable stopping) {
        static final Around FOREGROUND = new Around(() -> {}, () -> {});
    }

    static int run(String argument, MetricsOption metricsOption) throws ConfigException, IOException, UserError {
        return run(argument, Around.FOREGROUND, metricsOption);
    }

    static int run(String argument, Around around, MetricsOption metricsOption) throws ConfigException, IOException, UserError {
        metricsOption.address(); // a mistake in the command line comes before one in the file
        Warmup.start();
        Path path = ConfigLocator.locate(argument);
        ConfigPermissions.check(path).forEach(System.err::println);
        WgQuickConfig config = ConfigParser.parse(path, w -> System.err.println("jwg: " + w));
        String file = path.getFileName().toString();
        Path saveTo = config.interfaceConfig().saveConfig() ? path.toRealPath() : path; // readlink -f, before up
        InterfaceConfig ic = config.interfaceConfig();
        Key privateKey = ic.privateKey()
                .orElseThrow(() -> new UserError(file + ": [Interface]: PrivateKey is missing; jwg needs one to speak WireGuard"));
        List<PeerUpdate> peers = peerUpdates(file, config.peers());
        try {
            PeerCapacity.ofThisJvm().check(peers.size(), peers.stream().mapToLong(p -> p.allowedIps().size()).sum());
        } catch (CapacityException e) {
            throw new UserError(file + ": " + e.getMessage());
        }
        DeviceUpdate update = new DeviceUpdate(Optional.of(privateKey.bytes()),
                ic.listenPort() == 0 ? OptionalInt.empty() : OptionalInt.of(ic.listenPort()),
                OptionalInt.of((int) ic.fwMark()), true, peers);

        String name = config.interfaceName();
        if (linkExists(name)) throw new UserError("`" + name + "' already exists"); // wg-quick's cmd_up
        WgQuickSpec spec = WgQuickSpecs.of(config, peers);
        Metrics metrics = metricsOption.open(); // a port in use ends jwg here, before the host is touched (and so do later failures)
        Signals signals = Signals.install();
        signals.interruptOnSignal(Thread.currentThread()); // an interrupted up undoes itself
        TunDevice tun = Tun.open(name); // wg-quick's add_if
        Device device;
        Session session;
        try {
            WgQuick.preUp(spec, System.err::println);
            device = Device.start(tun, DEFAULT_MTU);
        } catch (WgQuickException | RuntimeException e) {
            tun.close();
            throw e;
        }
        try {
            device.configure(update); // set_config
            session = WgQuick.up(spec, tun.index(), new Control(device), System.err::println);
        } catch (WgQuickException e) {
            device.close(); // up has undone its own steps
            throw e;
        } catch (IOException | RuntimeException e) {
            device.close();
            throw new UserError("cannot set up " + name + ": " + e.getMessage());
        } finally {
            update.wipe();
        }
        signals.interruptOnSignal(null);
        ConfigSaver saver = ic.saveConfig() ? new SaveConfig(config, saveTo, SaveConfig.live(name, device), System.err::println) : () -> {};
        return Serving.serve(name, device, metrics, signals, null, () -> {
            Log.info("interface " + name + " is up: UDP port " + device.listenPort() + ", " + peers.size()
                    + (peers.size() == 1 ? " peer" : " peers"));
            around.ready().run();
        }, () -> {
            around.stopping().run();
            try {
                session.down(saver);
            } catch (WgQuickException e) {
                System.err.println("jwg: " + e.getMessage());
            }
        });
    }

    /** Whether this network namespace has an interface called name (of any kind: wg-quick's `ip link show dev`). */
    private static boolean linkExists(String name) throws UserError {
        try (Rtnetlink rt = Rtnetlink.open()) {
            rt.link(name);
            return true;
        } catch (ErrnoException e) {
            if (e.errno() == Errno.ENODEV) return false;
            throw new UserError("cannot look for interface " + name + ": " + e.getMessage());
        }
    }

    /** The device as wg-quick's steps see it: its fwmark, and `ip link delete`. */
    private record Control(Device device) implements DeviceControl {
        @Override public int fwmark() {
            try {
                return device.state().fwmark();
            } catch (IOException e) {
                return 0;
            }
        }

        @Override public void setFwmark(int mark) throws IOException {
            device.configure(new DeviceUpdate(Optional.empty(), OptionalInt.empty(), OptionalInt.of(mark), false, List.of()));
        }

        @Override public void delete() {
            device.close();
        }
    }

    /** Turns [Peer] sections into peer changes, resolving host names now, as wg-quick does at up. */
    static List<PeerUpdate> peerUpdates(String file, List<PeerConfig> peers) throws UserError {
        List<PeerUpdate> out = new ArrayList<>();
        for (PeerConfig p : peers) {
            InetSocketAddress endpoint = null;
            if (p.endpoint().isPresent()) {
                try {
                    endpoint = p.endpoint().get().resolve();
                } catch (UnknownHostException e) {
                    throw new UserError(file + ": Endpoint: cannot resolve '" + p.endpoint().get().host() + "'");
                }
            }
            List<IpPrefix> allowed = new ArrayList<>();
            for (IpPrefix a : p.allowedIps()) allowed.add(new IpPrefix(a.address(), a.length()));
            out.add(PeerUpdate.set(p.publicKey().bytes(), p.presharedKey().map(Key::bytes).orElse(null), endpoint,
                    p.persistentKeepalive(), allowed));
        }
        return out;
    }
}
