/**
 * The WireGuard device: {@link jwg.datapath.Device} is its public face and its lifecycle; the
 * parts it wires together split as wireguard-go's device/ does (send.go, receive.go, the
 * handshake glue, timers.go, uapi.go), each depending only on those below it:
 *
 * <pre>
 * Device           lifecycle: start, the interface going up, down or away (LinkWatch), close
 *  ├ Configuration  configure (rebinding the UDP port first) and state              (uapi.go)
 *  ├ Timers         every TICK, each peer's PeerTimers polled                         (timers.go)
 *  └ Inbound        UDP to TUN: transport messages opened, routed, written           (receive.go)
 *     └ Handshakes  handshake messages admitted (mac1, cookie, rate limit) and answered
 *        └ Outbound TUN to UDP: routed, split, sealed, batched or staged; every send  (send.go)
 *           └ Core  what they share: peers (by key, index, allowed IP), identity, UDP socket, MTU, up
 * </pre>
 *
 * <h2>The packet pipeline</h2>
 *
 * <pre>
 * Outbound flow (TUN to peer)
 *   TunHandle.handle        one wakeup: a burst of TUN reads (Limits.TUN_BURST, TUN_BURST_BYTES),
 *                           each [virtio_net_hdr | IP packet], a packet or a TSO/USO super-packet
 *   Outbound.packet         AllowedIps: destination -&gt; peer (cryptokey routing), else dropped
 *     one packet            batchOne: sealed into the SendBatch, behind the peer's others of this burst
 *     a super-packet        split into segments in a buffer of its own, sealAndSend: one UDP GSO send
 *     no usable keypair     staged on the peer (Limits.MAX_STAGED); a handshake is requested
 *     each message sent     Outbound.sent, the one after-send step: timers; rekey (REKEY_AFTER_*)
 *   Outbound.burstDone      the batch queued; UdpTransport.flush (sendmmsg, UDP GSO)
 *
 * Inbound flow (peer to TUN)
 *   UdpReader.handle        one wakeup: a burst of recvmsg (Limits.UDP_BURST, UDP_BURST_BYTES), each
 *                           one datagram or, with UDP GRO, several of one flow
 *   Inbound.datagram        classified by type:
 *     transport             IndexMap: receiver index -&gt; peer -&gt; keypair; opened in place; replay
 *                           window; a confirmed `next` established (staged packets sent);
 *                           Peer.received, the one after-receive step (roaming, counters, timers);
 *                           a keepalive ends here; AllowedIps: source must map back to the peer;
 *                           TunWriter.deliver: coalesced into a TCP/UDP super-packet, or written alone
 *     initiation, response  Handshakes.receive: mac1; under load mac2 (else a cookie reply) and the
 *                           rate limit; consumed; Peer.received; a response sent, or our session
 *                           confirmed with the staged packets or a keepalive
 *     cookie reply          Handshakes.receiveCookieReply: kept for the next message's mac2
 *   Inbound.readComplete    TunWriter.flush (the pending super-packet); UdpTransport.flush
 *
 * Timers.tick               every Limits.TICK_NANOS: keepalives, initiations and retries, keys zeroed,
 *                           staged packets given up (not while the interface is down)
 * </pre>
 */
package jwg.datapath;
