package jwg.cli;

import java.io.IOException;
import java.nio.channels.ServerSocketChannel;
import jwg.datapath.Device;
import jwg.datapath.Log;
import jwg.netlink.Rtnetlink;
import jwg.sys.ErrnoException;
import jwg.tun.InterfaceName;
import jwg.tun.TunDevice;

/**
 * `jwg [-f|--foreground] INTERFACE`: wireguard-go's command line (wireguard.com/xplatform), which
 * wg-quick runs as WG_QUICK_USERSPACE_IMPLEMENTATION. Creates the interface, down, with MTU 1420
 * and no configuration, and its UAPI socket; wg(8) configures it from there. Without -f (and
 * without WG_PROCESS_FOREGROUND=1) it goes to the {@link Background} once the socket is up. In
 * the foreground it also takes a TUN and a UAPI socket {@link HandedOver} in WG_TUN_FD and WG_UAPI_FD.
 */
final class InterfaceCommand {
    private InterfaceCommand() {}

    /** wireguard-go's DefaultMTU; wg-quick sets the MTU it wants afterwards. */
    static final int DEFAULT_MTU = 1420;

    static int run(String name, boolean foreground, MetricsOption metricsOption) throws UserError, IOException {
        try {
            InterfaceName.validate(name);
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage());
        }
        metricsOption.address(); // a mistake there is the parent's to report; the child listens
        if (!foreground) {
            if (HandedOver.any()) {
                throw new UserError(HandedOver.TUN_FD + " and " + HandedOver.UAPI_FD + " work in the foreground only (-f, or "
                        + Background.FOREGROUND + "=1): Java cannot hand file descriptors to the process it starts");
            }
            return Background.start();
        }
        Metrics metrics = metricsOption.open(); // a port in use ends jwg here, before the interface is made
        Warmup.start();
        boolean child = Background.isChild();
        if (child) Background.detachFromTerminal();
        Signals signals = Signals.install();
        TunDevice handed = HandedOver.tun();
        TunDevice tun = handed != null ? handed : Tun.open(name);
        String ifName = tun.name(); // a TUN handed over keeps its own name, as with wireguard-go
        ServerSocketChannel uapi;
        Device device;
        try {
            uapi = HandedOver.uapi();
            try (Rtnetlink rt = Rtnetlink.open()) {
                rt.setMtu(tun.index(), DEFAULT_MTU);
            }
            device = Device.start(tun, DEFAULT_MTU);
        } catch (ErrnoException e) {
            tun.close();
            throw new UserError("cannot set up " + ifName + ": " + e.getMessage());
        } catch (UserError | IOException | RuntimeException e) {
            tun.close();
            throw e;
        }
        boolean keepLog = Background.keepLog();
        return Serving.serve(ifName, device, metrics, signals, uapi, () -> {
            Log.info("interface " + ifName + (handed != null ? " handed over" : " created") + ": UDP port " + device.listenPort()
                    + ", MTU " + DEFAULT_MTU + ", no private key and no peers yet");
            if (child) Background.ready(keepLog);
        });
    }
}
