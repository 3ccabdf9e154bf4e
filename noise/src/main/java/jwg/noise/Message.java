package jwg.noise;

/**
 * A handshake-related message of whitepaper 5.4 (initiation 5.4.2, response 5.4.3, cookie reply
 * 5.4.7). Transport messages are not records: the datapath reads their header in place with
 * {@link Messages}.
 *
 * <p>The records hold their byte[] fields without copying; treat them as immutable.
 */
public sealed interface Message permits Initiation, Response, CookieReply {
    MessageType type();

    /** The exact wire bytes. */
    byte[] encode();
}
