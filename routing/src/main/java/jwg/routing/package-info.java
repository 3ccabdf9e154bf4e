/**
 * What wg-quick (wireguard-tools' src/wg-quick/linux.bash) does on the host around a WireGuard
 * interface, for jwg: {@link jwg.routing.WgQuick#preUp} and {@link jwg.routing.WgQuick#up} bring
 * it up from a {@link jwg.routing.WgQuickSpec}, {@link jwg.routing.Session#down} undoes it. The
 * device itself is reached through {@link jwg.routing.DeviceControl}. Classes are named after
 * wg-quick's functions (add_addr, set_mtu_up, set_dns, add_route, add_default, remove_firewall,
 * del_if, execute_hooks).
 */
package jwg.routing;
