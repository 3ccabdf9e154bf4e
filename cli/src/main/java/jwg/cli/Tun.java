package jwg.cli;

import jwg.datapath.Device;
import jwg.datapath.Offloads;
import jwg.sys.Errno;
import jwg.sys.ErrnoException;
import jwg.tun.TunDevice;

/** Opening the TUN interface, with the hint a user needs when it fails. */
final class Tun {
    private Tun() {}

    static TunDevice open(String name) throws UserError {
        try {
            return Device.openTun(name, Offloads.fromSystemProperties());
        } catch (ErrnoException e) {
            String hint = e.errno() == Errno.EPERM || e.errno() == Errno.EACCES ? " (jwg needs root, or CAP_NET_ADMIN)"
                    : e.errno() == Errno.EBUSY ? " (an interface of that name is in use)" : "";
            throw new UserError("cannot create interface " + name + ": " + e.getMessage() + hint);
        }
    }
}
