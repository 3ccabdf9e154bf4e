package jwg.datapath;

/** Why the datapath dropped a packet, beyond the noise module's {@link jwg.noise.DropReason}s. */
public enum Drop {
    /** A packet from the TUN that is not IPv4 or IPv6. */
    NOT_IP,
    /** No peer's allowed IPs contain the destination (whitepaper 2, cryptokey routing). */
    NO_PEER_FOR_DESTINATION,
    /** A super-packet from the TUN whose offload header or headers do not allow splitting it. */
    MALFORMED_OFFLOAD,
    /** The peer has no endpoint yet (no Endpoint configured and none learned). */
    NO_ENDPOINT,
    /**
     * A packet from the TUN that is our own UDP datagram to the endpoint of the very peer it is
     * routed to: the endpoint lies in that peer's allowed IPs and the route to it leads back into
     * the tunnel. Sent again it would come back again, a bit larger each time, without end.
     */
    ROUTING_LOOP,
    /** Packets waiting for a handshake exceeded the peer's bound; the oldest was dropped. */
    STAGED_QUEUE_FULL,
    /** Handshake attempts gave up (REKEY_ATTEMPT_TIME): the waiting packets were dropped. */
    HANDSHAKE_GAVE_UP,
    /** The UDP socket's send buffer is backed up. */
    UDP_BACKLOG,
    /** The kernel refused to send a datagram (e.g. no route to the endpoint). */
    UDP_SEND_FAILED,
    /** The kernel refused a packet written to the TUN. */
    TUN_WRITE_FAILED,
    /** A transport message for a receiver index we do not have. */
    UNKNOWN_RECEIVER_INDEX,
    /** A transport message on a keypair older than REJECT_AFTER_TIME (whitepaper 6.1). */
    KEYPAIR_EXPIRED,
    /** A transport message that does not authenticate. */
    DECRYPTION_FAILED,
    /** A transport counter already seen or too old (whitepaper 5.4.6, replay). */
    REPLAYED_COUNTER,
    /** A decrypted packet that is not a well-formed IP packet. */
    INNER_NOT_IP,
    /** A decrypted packet whose source is not in the sending peer's allowed IPs. */
    SOURCE_NOT_ALLOWED,
    /** A handshake message while the interface has no private key (none set yet, or set to zeros). */
    NO_PRIVATE_KEY,
    /** A handshake message or cookie reply that found the handshake queue full (Limits.HANDSHAKE_QUEUE). */
    HANDSHAKE_QUEUE_FULL,
    /** A handshake message or cookie reply from a source that has its share of the queue waiting (Limits.HANDSHAKE_QUEUE_PER_SOURCE). */
    HANDSHAKE_SOURCE_SHARE,
    /** Under load: a handshake message without a valid cookie; a cookie reply was sent (5.4.7). */
    COOKIE_REQUIRED,
    /** Under load: the source's handshake rate limit was exceeded (5.3). */
    RATE_LIMITED,
    /** A packet that arrived, or was waiting for a handshake, while the interface was down. */
    INTERFACE_DOWN,
    /** A packet or timer that met an unexpected error: a bug, counted and reported instead of stopping the device. */
    INTERNAL_ERROR
}
