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
import jwg.config.IpPrefix;
import jwg.config.Key;
import jwg.config.PeerConfig;
import jwg.config.WgQuickConfig;
import jwg.datapath.AllowedIp;
import jwg.datapath.Device;
import jwg.datapath.DeviceUpdate;
import jwg.datapath.Log;
import jwg.datapath.PeerUpdate;
import jwg.sys.ErrnoException;
import jwg.tun.TunDevice;

/**
 * `jwg CONFIG`: reads and checks the whole file and resolves its endpoints before anything on the
 * host is touched, then creates the interface, configures it, serves its UAPI socket, runs it in
 * the foreground, and removes it again on SIGINT or SIGTERM, or stops when the interface or the
 * socket file is deleted.
 */
final class Up {
    private Up() {}

    /** The MTU when the file gives none (wg-quick's automatic MTU arrives with the routing module). */
    static final int DEFAULT_MTU = 1420;

    static int run(String argument) throws ConfigException, IOException, UserError {
        Path path = ConfigLocator.locate(argument);
        ConfigPermissions.check(path).forEach(System.err::println);
        WgQuickConfig config = ConfigParser.parse(path, w -> System.err.println("jwg: " + w));
        String file = path.getFileName().toString();
        InterfaceConfig ic = config.interfaceConfig();
        Key privateKey = ic.privateKey()
                .orElseThrow(() -> new UserError(file + ": [Interface]: PrivateKey is missing; jwg needs one to speak WireGuard"));
        List<PeerUpdate> peers = peerUpdates(file, config.peers());
        DeviceUpdate update = new DeviceUpdate(Optional.of(privateKey.bytes()),
                ic.listenPort() == 0 ? OptionalInt.empty() : OptionalInt.of(ic.listenPort()),
                OptionalInt.of((int) ic.fwMark()), true, peers);
        int mtu = ic.mtu().orElse(DEFAULT_MTU);
        warnNotYetApplied(ic);

        String name = config.interfaceName();
        Signals signals = Signals.install();
        TunDevice tun = Tun.open(name);
        Device device;
        try {
            InterfaceSetup.apply(tun, mtu, ic.addresses());
            device = Device.start(tun, mtu);
        } catch (ErrnoException e) {
            tun.close();
            throw new UserError("cannot set up " + name + ": " + e.getMessage());
        } catch (IOException | RuntimeException e) {
            tun.close();
            throw e;
        }
        try {
            device.configure(update);
        } catch (IOException e) {
            device.close();
            throw new UserError("cannot set up " + name + ": " + e.getMessage());
        } finally {
            update.wipe();
        }
        return Serving.serve(name, device, signals, () -> Log.info("interface " + name + " is up: UDP port " + device.listenPort()
                + ", MTU " + mtu + ", " + peers.size() + (peers.size() == 1 ? " peer" : " peers")));
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
            List<AllowedIp> allowed = new ArrayList<>();
            for (IpPrefix a : p.allowedIps()) allowed.add(new AllowedIp(a.address(), a.length()));
            out.add(PeerUpdate.set(p.publicKey().bytes(), p.presharedKey().map(Key::bytes).orElse(null), endpoint,
                    p.persistentKeepalive(), allowed));
        }
        return out;
    }

    /** Says which wg-quick settings of the file this version does not apply yet, rather than ignoring them silently. */
    private static void warnNotYetApplied(InterfaceConfig ic) {
        List<String> keys = new ArrayList<>();
        if (!ic.dns().servers().isEmpty() || !ic.dns().searchDomains().isEmpty()) keys.add("DNS");
        if (!(ic.table() instanceof jwg.config.Table.Auto)) keys.add("Table");
        if (!ic.hooks().preUp().isEmpty()) keys.add("PreUp");
        if (!ic.hooks().postUp().isEmpty()) keys.add("PostUp");
        if (!ic.hooks().preDown().isEmpty()) keys.add("PreDown");
        if (!ic.hooks().postDown().isEmpty()) keys.add("PostDown");
        if (ic.saveConfig()) keys.add("SaveConfig");
        if (!keys.isEmpty()) {
            System.err.println("jwg: warning: not applied yet (routes, DNS and hooks come with the routing module): "
                    + String.join(", ", keys) + "; routes for AllowedIPs are not added either");
        }
    }
}
