/**
 * The WireGuard device: {@link jwg.datapath.Device} is its public face and its lifecycle; the
 * parts it wires together split as wireguard-go's device/ does (send.go, receive.go, the
 * handshake glue, timers.go, uapi.go), each depending only on those below it:
 *
 * <pre>
 * Device           lifecycle: start, the interface going up, down or away (LinkWatch), close
 *  ├ Configuration  configure (rebinding the UDP port first) and state              (uapi.go)
 *  ├ Timers         each peer filed at its next deadline, polled when that comes      (timers.go)
 *  └ Inbound        UDP to TUN: transport messages opened, routed, written           (receive.go)
 *     └ Handshakes  handshake messages admitted (mac1, cookie, rate limit) and answered
 *        └ Outbound TUN to UDP: routed, split, sealed, batched or staged; every send  (send.go)
 *           └ Core  what they share: peers (by key, index, allowed IP), identity, UDP socket, MTU, up
 * </pre>
 *
 * <p>The parts see the two ends of the datapath and time only through small seams, as
 * wireguard-go's through conn.Bind and tun.Device: the UDP end is a {@link jwg.datapath.udp.Bind}
 * (made by a {@code Configuration.Binder}), the TUN end a {@link jwg.datapath.tun.TunSink} for
 * writes and a {@link jwg.datapath.tun.TunHandle.Reader} for reads, the clocks a {@code Clock},
 * the loop's schedule (for the timers' wake-ups) a {@code Timers.Scheduler}.
 * A device has one implementation of each (UdpTransport, TunHandle, the system clocks), so the
 * calls stay monomorphic; tests wire devices back to back in memory with others.
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
 *     initiation, response, copied into the HandshakeQueue (Limits.HANDSHAKE_QUEUE), else dropped
 *     cookie reply
 *   Inbound.readComplete    TunWriter.flush (the pending super-packet); a slice of handshake work
 *                           scheduled if messages wait; UdpTransport.flush
 *
 * Handshakes.work           a loop task after a burst of reads, at most Limits.HANDSHAKE_SLICE_NANOS,
 *                           oldest first; under load while an eighth of the queue waits (and 1 s on):
 *     initiation, response  mac1; under load mac2 (else a cookie reply) and the rate limit;
 *                           consumed; Peer.received; a response sent, or our session confirmed
 *                           with the staged packets or a keepalive
 *     cookie reply          kept for the next message's mac2
 *                           what is left waits for the next slice, behind the loop's reads
 *
 * Timers.tick               scheduled for the next tick (Limits.TICK_NANOS apart) whose TimerWheel slot
 *                           holds a peer, one wake-up at a time, none while nothing is filed:
 *     the peers due         polled until null: keepalives, initiations and retries, keys zeroed,
 *                           staged packets given up; each filed again at its next deadline
 *     any other peer        not visited: PeerTimers sets its Alarm (files it) only when its earliest
 *                           deadline moves earlier; a packet that pushes one later costs a comparison
 *                           Not while the interface is down (its timers were stopped then);
 *                           LinkEvents ticks when it comes up.
 * </pre>
 *
 * <h2>Threads</h2>
 *
 * <p>One Netty epoll event loop, one thread, owns the device: it reads the TUN and the UDP socket,
 * seals and opens every packet inline, runs the handshakes and the timers, and applies every
 * configuration change. What it owns is confined to it: the peers and all their state (keypairs,
 * handshake, cookie, timers, staged packets, endpoint, counters), the tables (IndexMap,
 * AllowedIps), the identity, the socket in use, the MTU and up/down, the parts above. Nothing on
 * those paths locks, compares and swaps, counts references or reads a volatile field; the noise
 * classes and AllowedIps say so each. (Netty's own queues and ByteBuf reference counts aside.)
 *
 * <p>Other threads, and what they do:
 * <ul>
 * <li>{@link jwg.datapath.Device#start} runs on its caller's thread, which must be in the TUN's
 *     network namespace (the loop thread is started from it, and makes every UDP socket): it
 *     builds the parts and sets the first socket before the loop serves the device; the tasks it
 *     then submits publish them to the loop.
 * <li>{@link jwg.datapath.Device#configure}, {@link jwg.datapath.Device#state},
 *     {@link jwg.datapath.Device#stats} and {@link jwg.datapath.Device#close} are called from the
 *     UAPI server's threads (one per connection), the metrics server's (a scrape), the CLI's main
 *     thread and tests: they hand their work to the loop as tasks and wait ({@code Core.onLoop}).
 *     So the peers' counters (bytes, handshake attempts and failures) and the device's (cookie
 *     replies sent) are plain fields of the loop's, and a scrape reads them in one task. A configure takes several tasks (the socket in use, the
 *     new socket's bind, the change), so configure calls are serialized by a lock in
 *     {@link jwg.datapath.Configuration}, never taken on the loop.
 * <li>{@link jwg.datapath.tun.LinkWatch}, after the interface moved to another network namespace,
 *     starts a short-lived thread that enters it, opens the subscription there and hands it to
 *     the loop as a task.
 * </ul>
 *
 * <p>Shared, and how:
 * <ul>
 * <li>{@code Core.listenPort}, volatile: {@link jwg.datapath.Device#listenPort} reads it from any
 *     thread.
 * <li>{@link jwg.datapath.Drops}: counted on the loop, read from any thread (one writer: release
 *     stores, volatile loads): by the log's reports and by a metrics scrape, without a task.
 * <li>{@link jwg.datapath.Device#stopped}, a CompletableFuture completed on the loop;
 *     {@link jwg.datapath.Log}'s verbose flag, volatile.
 * <li>Kept although the loop is their only user, for a device with several loops (crypto across
 *     cores, which is to come): the RateLimiter's striped locks and the CookieChecker's monitor
 *     (one of each per device, taken for handshake messages under load only), and the crypto
 *     module's SessionKey, whose wiped flag is volatile. What else such a device needs is said
 *     where it would go (Keypair, IndexMap, AllowedIps).
 * </ul>
 */
package jwg.datapath;
