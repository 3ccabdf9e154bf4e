package jwg.cli;

import java.io.IOException;
import java.nio.channels.ServerSocketChannel;
import java.util.List;
import jwg.cli.uapi.UapiServer;
import jwg.cli.uapi.UapiTarget;
import jwg.datapath.Device;
import jwg.datapath.Log;

/**
 * An interface in service, in every mode: its device and its UAPI socket, until SIGINT or SIGTERM,
 * the removal of the interface, or the deletion of the socket file (xplatform: "Userspace
 * implementations should die gracefully in response to ...").
 */
final class Serving {
    private Serving() {}

    /**
     * Serves name's UAPI socket for device (the one handed over, if not null, else a new one) and
     * its metrics (listening already, or {@link Metrics#NONE}), runs ready once it is up (the
     * interface is then ready for use), and stops them all at the end.
     */
    static int serve(String name, Device device, Metrics metrics, Signals signals, ServerSocketChannel handedOver, Runnable ready)
            throws UserError {
        return serve(name, device, metrics, signals, handedOver, ready, device::close);
    }

    /** As {@link #serve(String, Device, Metrics, Signals, ServerSocketChannel, Runnable)}, with teardown (which stops the device) run at the end. */
    static int serve(String name, Device device, Metrics metrics, Signals signals, ServerSocketChannel handedOver, Runnable ready,
                     Runnable teardown) throws UserError {
        UapiServer server;
        try {
            server = handedOver == null ? UapiServer.start(name, UapiTarget.of(device)) : UapiServer.adopt(name, handedOver, UapiTarget.of(device));
        } catch (IOException e) {
            metrics.close();
            device.close();
            throw new UserError((handedOver == null ? "cannot create the UAPI socket of " : "cannot serve the UAPI socket handed over for ")
                    + name + ": " + e.getMessage());
        }
        Thread hook = new Thread(() -> {
            server.close();
            teardown.run();
            device.close();
        }, "jwg-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        Log.info("UAPI socket " + server.path() + " is up");
        metrics.serve(name, device);
        ready.run();
        SdNotify.ready(name + " is up, UDP port " + device.listenPort()); // a unit of Type=notify is started now
        String reason = signals.awaitStop(List.of(device.stopped(), server.stopped()));
        Log.info("stopping " + name + ": " + reason);
        SdNotify.stopping();
        metrics.close();
        server.close();
        teardown.run();
        device.close();
        Runtime.getRuntime().removeShutdownHook(hook);
        return 0;
    }
}
