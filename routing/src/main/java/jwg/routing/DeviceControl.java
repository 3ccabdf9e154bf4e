package jwg.routing;

import java.io.IOException;

/** What wg-quick asks of the WireGuard device itself (through {@code wg} and {@code ip link}). */
public interface DeviceControl {
    /** The fwmark of the device's UDP sockets (SO_MARK), 0 for off: {@code wg show IF fwmark}. */
    int fwmark();

    /** {@code wg set IF fwmark MARK}: marks the device's UDP sockets from now on. */
    void setFwmark(int mark) throws IOException;

    /**
     * {@code ip link delete dev IF}: stops the device and removes its interface, and with it the
     * interface's addresses and routes.
     */
    void delete() throws IOException;
}
