package jwg.noise;

import java.nio.ByteBuffer;

/**
 * Framing of incoming datagrams (whitepaper 5.4): classification without allocation, and parsing
 * of the three handshake-related messages into records. Nothing here throws on malformed input:
 * every bad datagram yields a {@link DropReason}.
 */
public final class Messages {
    private Messages() {}

    /**
     * Classifies the datagram in buf[position, limit) without changing the buffer or allocating:
     * the message type if its length is right for it, else why to drop it. The type field is a
     * little-endian u32 whose three high bytes must be zero (5.4).
     */
    public static Classification classify(ByteBuffer buf) {
        int len = buf.remaining();
        if (len > Protocol.MAX_MESSAGE_LEN) return DropReason.OVERSIZED;
        if (len < 4) return DropReason.TRUNCATED;
        int pos = buf.position();
        MessageType type = MessageType.ofWire(buf.get(pos) & 0xff);
        if (type == null) return DropReason.UNKNOWN_TYPE;
        if ((buf.get(pos + 1) | buf.get(pos + 2) | buf.get(pos + 3)) != 0) return DropReason.RESERVED_NONZERO;
        return type.acceptsLength(len) ? type : DropReason.INVALID_LENGTH;
    }

    /** {@link #classify(ByteBuffer)} for a whole array. */
    public static Classification classify(byte[] datagram) {
        return classify(ByteBuffer.wrap(datagram));
    }

    /**
     * Parses the handshake-related message in buf[position, limit) (the buffer is not changed).
     * Transport messages are dropped as NOT_HANDSHAKE: the datapath handles them in place.
     */
    public static Result<Message> parseHandshake(ByteBuffer buf) {
        return switch (classify(buf)) {
            case DropReason reason -> Result.drop(reason);
            case MessageType.INITIATION -> Result.ok(Initiation.decode(copy(buf, Protocol.INITIATION_LEN)));
            case MessageType.RESPONSE -> Result.ok(Response.decode(copy(buf, Protocol.RESPONSE_LEN)));
            case MessageType.COOKIE_REPLY -> Result.ok(CookieReply.decode(copy(buf, Protocol.COOKIE_REPLY_LEN)));
            case MessageType.TRANSPORT -> Result.drop(DropReason.NOT_HANDSHAKE);
        };
    }

    private static byte[] copy(ByteBuffer buf, int len) {
        byte[] m = new byte[len];
        buf.get(buf.position(), m);
        return m;
    }

    /** {@link #parseHandshake(ByteBuffer)} for a whole array. */
    public static Result<Message> parseHandshake(byte[] datagram) {
        return parseHandshake(ByteBuffer.wrap(datagram));
    }
}
