package jwg.cli.testing;

import jwg.cli.uapi.UapiServer;
import jwg.cli.uapi.UapiTarget;
import jwg.datapath.Device;
import jwg.netlink.Rtnetlink;
import jwg.tun.TunDevice;

/**
 * An interface as `jwg -f NAME` makes it, in this process: a TUN in a namespace (MTU 1420, down),
 * its device without configuration, and its UAPI socket, for wg(8) to drive.
 */
public final class LiveInterface implements AutoCloseable {
    public final String name;
    public final Device device;
    public final UapiServer server;

    private LiveInterface(String name, Device device, UapiServer server) {
        this.name = name;
        this.device = device;
        this.server = server;
    }

    public static LiveInterface start(NetNs ns, String name) throws Exception {
        Device device = ns.call(() -> {
            TunDevice tun = TunDevice.open(name);
            try (Rtnetlink rt = Rtnetlink.open()) {
                rt.setMtu(tun.index(), 1420);
            }
            return Device.start(tun, 1420);
        });
        try {
            return new LiveInterface(name, device, UapiServer.start(name, UapiTarget.of(device)));
        } catch (Exception e) {
            device.close();
            throw e;
        }
    }

    @Override
    public void close() {
        server.close();
        device.close();
    }
}
