package jwg.routing;

import jwg.tun.TunDevice;

/** The device side for tests: a TUN interface, and a fwmark that is only remembered. */
final class TunControl implements DeviceControl {
    private final TunDevice tun;
    private volatile int fwmark;

    TunControl(TunDevice tun, int fwmark) {
        this.tun = tun;
        this.fwmark = fwmark;
    }

    TunDevice tun() {
        return tun;
    }

    @Override
    public int fwmark() {
        return fwmark;
    }

    @Override
    public void setFwmark(int mark) {
        fwmark = mark;
    }

    @Override
    public void delete() {
        tun.close();
    }
}
