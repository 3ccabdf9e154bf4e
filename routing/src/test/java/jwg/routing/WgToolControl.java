package jwg.routing;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import jwg.testing.NetNs;

/** The device side for a wireguard-go interface, through wg and ip, as wg-quick does it. */
final class WgToolControl implements DeviceControl {
    private final NetNs ns;
    private final String name;

    WgToolControl(NetNs ns, String name) {
        this.ns = ns;
        this.name = name;
    }

    @Override
    public int fwmark() {
        try {
            String mark = ns.exec("wg", "show", name, "fwmark").strip();
            return mark.equals("off") ? 0 : Integer.decode(mark);
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void setFwmark(int mark) throws IOException {
        try {
            ns.exec("wg", "set", name, "fwmark", Integer.toUnsignedString(mark));
        } catch (InterruptedException e) {
            throw new IOException(e);
        }
    }

    @Override
    public void delete() throws IOException {
        try {
            Sh.Result result = Sh.run(Map.of(), List.of("ip", "-n", ns.name(), "link", "delete", "dev", name));
            if (result.status() != 0) {
                throw new IOException(result.output().strip());
            }
        } catch (InterruptedException e) {
            throw new IOException(e);
        }
    }
}
