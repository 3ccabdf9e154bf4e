package jwg.cli;

import java.util.List;
import jwg.config.IpPrefix;
import jwg.datapath.Log;
import jwg.netlink.Rtnetlink;
import jwg.sys.ErrnoException;
import jwg.tun.TunDevice;

/**
 * What wg-quick does to the link itself, through rtnetlink: addresses, MTU, link up; each step
 * printed as the `ip` command it stands for, as wg-quick prints them.
 */
final class InterfaceSetup {
    private InterfaceSetup() {}

    static void apply(TunDevice tun, int mtu, List<IpPrefix> addresses) throws ErrnoException {
        String name = tun.name();
        int index = tun.index();
        try (Rtnetlink rt = Rtnetlink.open()) {
            for (IpPrefix a : addresses) {
                Log.info("[#] ip -" + (a.isIpv4() ? 4 : 6) + " address add " + a + " dev " + name);
                rt.addAddress(index, a.inetAddress(), a.length());
            }
            Log.info("[#] ip link set mtu " + mtu + " up dev " + name);
            rt.setMtu(index, mtu);
            rt.setLinkUp(index, true);
        }
    }
}
