package jwg.noise;

/**
 * Why an incoming message (or a step of the handshake) was dropped. Every expected failure of the
 * noise module is one of these, never an exception: the datapath counts them.
 */
public enum DropReason implements Classification {
    // Framing (whitepaper 5.4: fixed lengths, type byte followed by three zero bytes).
    /** Shorter than the 4-byte type field. */
    TRUNCATED,
    /** Longer than Protocol.MAX_MESSAGE_LEN. */
    OVERSIZED,
    /** The type byte is not 1..4. */
    UNKNOWN_TYPE,
    /** The three bytes after the type byte are not zero. */
    RESERVED_NONZERO,
    /** The length does not fit the type (148, 92, 64, or at least 32 for transport). */
    INVALID_LENGTH,
    /** A transport message given to a parser of handshake messages. */
    NOT_HANDSHAKE,

    // Cookies and MACs (5.4.4, 5.4.7).
    /** mac1 does not authenticate the message with our public key. */
    INVALID_MAC1,
    /** Under load and mac2 does not carry a valid cookie for the source address: answer with a cookie reply. */
    INVALID_MAC2,
    /** A cookie reply although no message with a mac1 was sent to that peer (or one was already answered). */
    COOKIE_REPLY_UNEXPECTED,
    /** A cookie reply that does not decrypt (wrong key, nonce or AAD). */
    COOKIE_REPLY_INVALID,

    // Handshake (5.4.2 - 5.4.4).
    /** A Diffie-Hellman result is all zeros (a low-order public key). */
    LOW_ORDER_KEY,
    /** An AEAD field of a handshake message does not authenticate (wrong key, PSK, or tampering). */
    DECRYPTION_FAILED,
    /** The initiator's static key, once decrypted, belongs to no configured peer. */
    UNKNOWN_PEER,
    /** The initiation's timestamp is not strictly newer than the last one accepted from that peer. */
    REPLAYED_TIMESTAMP,
    /** A second initiation from the same peer within Protocol.HANDSHAKE_INITIATION_RATE. */
    INITIATION_FLOOD,
    /** The handshake of that peer is not in the state the message needs (e.g. a response without an initiation). */
    UNEXPECTED_STATE,
    /** The receiver index of a response does not match the handshake it was routed to. */
    UNKNOWN_RECEIVER
}
