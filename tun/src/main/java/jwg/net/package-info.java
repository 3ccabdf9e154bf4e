/**
 * IP values shared by every module: {@link jwg.net.IpPrefix} (an address and a prefix length:
 * interface addresses, allowed IPs, routes) and {@link jwg.net.IpText} (inet_ntop's text, as ip,
 * wg and wg-quick print it). Parsing a wg-quick file's exact syntax is the config parser's.
 */
package jwg.net;
