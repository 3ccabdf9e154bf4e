/**
 * TUN devices through FFM: {@link jwg.tun.TunDevice}, its {@link jwg.tun.TunQueue}s and
 * {@link jwg.tun.TunOptions}.
 *
 * <h2>Buffer contract</h2>
 * The caller owns all packet memory; this package never allocates or copies packets. Buffers are
 * native {@link java.lang.foreign.MemorySegment}s (heap segments are rejected), typically slots
 * of a pooled off-heap arena, used by one thread at a time. The datapath reads a packet at an
 * offset that leaves <em>headroom</em> in front of it, so the WireGuard transport header (16
 * bytes: type, receiver index, counter) is written directly before the plaintext and the packet
 * is padded and sealed in place, with the 16-byte tag appended after it:
 * <pre>
 *   slot: [ headroom 16 | IP packet (read here, up to MTU) | padding 0..15 | tag 16 ]
 *   int n = tun.read(slot, 16, mtu);     // -1: nothing waiting
 *   ... write header at 0, pad and seal [16, 16 + padded) in place, send [0, 16 + padded + 16)
 * </pre>
 * So a slot holds at least {@code 16 + mtu + 15 + 16} bytes. In the other direction a decrypted
 * transport message is written to the TUN from offset 16 of the slot it was received into.
 * <p>
 * Offloads (IFF_VNET_HDR) are not enabled yet. When they are, every read and write carries a
 * {@code struct virtio_net_hdr} (10 or 12 bytes) in front of the packet: read at offset
 * {@code 16 - vnetHeaderLength} so the IP packet still starts at 16, and the header lies inside
 * the headroom that the WireGuard header later overwrites. Reads then need room for 64 KiB GSO
 * packets.
 */
package jwg.tun;
