package jwg.routing;

import jwg.net.IpPrefix;

/** wg-quick's add_addr. */
final class Addresses {
    private Addresses() {}

    static void add(Context c, IpPrefix address) throws WgQuickException {
        c.ip("ip " + Family.of(address).proto + " address add " + address + " dev " + c.name(),
                () -> c.rtnl().addAddress(c.ifIndex(), address.inetAddress(), address.length()));
    }
}
