/**
 * rtnetlink over an FFM netlink socket: {@link jwg.netlink.Rtnetlink} (links, addresses, routes
 * ({@link jwg.netlink.RouteInfo}) and policy routing rules ({@link jwg.netlink.FibRule})),
 * {@link jwg.netlink.LinkMonitor} (link notifications), and the message layer they are built on:
 * {@link jwg.netlink.NetlinkSocket}, {@link jwg.netlink.NetlinkRequest},
 * {@link jwg.netlink.NetlinkMessage}, {@link jwg.netlink.Attributes}. Constants, with the
 * kernel's names, are in {@link jwg.netlink.NetlinkConstants}.
 */
package jwg.netlink;
