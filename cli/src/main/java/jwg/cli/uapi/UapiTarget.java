package jwg.cli.uapi;

import java.io.IOException;
import jwg.datapath.Device;
import jwg.datapath.DeviceState;
import jwg.datapath.DeviceUpdate;

/** What the configuration protocol reads and changes: a {@link Device}, or a stand-in in tests. */
public interface UapiTarget {
    DeviceState get() throws IOException;

    /** Applies update whole or not at all; a {@link jwg.datapath.SocketSetupException} means the port or mark failed. */
    void set(DeviceUpdate update) throws IOException;

    static UapiTarget of(Device device) {
        return new UapiTarget() {
            @Override public DeviceState get() throws IOException {
                return device.state();
            }

            @Override public void set(DeviceUpdate update) throws IOException {
                device.configure(update);
            }
        };
    }
}
