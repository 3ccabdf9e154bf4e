package jwg.routing;

import jwg.testing.NetNs;

/**
 * The same underlay in every namespace of a comparison: a veth pair (both ends here) with
 * 192.0.2.1/24 and 2001:db8::1/64, default routes through it, and the given MTU. The veths have
 * no link-local addresses, so that nothing random is left but the tunnel interface's.
 */
final class Underlay {
    static final String ENDPOINT_V4 = "192.0.2.2";

    private Underlay() {}

    static void setUp(NetNs ns, int mtu) throws Exception {
        ns.ip("link", "set", "lo", "up");
        ns.ip("link", "add", "ul0", "type", "veth", "peer", "name", "ul1");
        for (String veth : new String[] {"ul0", "ul1"}) {
            ns.ip("link", "set", veth, "addrgenmode", "none");
            ns.ip("link", "set", veth, "mtu", Integer.toString(mtu));
        }
        ns.ip("addr", "add", "192.0.2.1/24", "dev", "ul0");
        ns.ip("addr", "add", "2001:db8::1/64", "dev", "ul0", "nodad");
        ns.ip("link", "set", "ul0", "up");
        ns.ip("link", "set", "ul1", "up");
        ns.ip("route", "add", "default", "via", "192.0.2.254", "dev", "ul0");
        ns.ip("-6", "route", "add", "default", "via", "2001:db8::fe", "dev", "ul0");
    }
}
