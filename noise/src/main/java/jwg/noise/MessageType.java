package jwg.noise;

/** The four message kinds of whitepaper 5.4, with their type field and exact (minimum, for transport) length. */
public enum MessageType implements Classification {
    INITIATION(Protocol.TYPE_INITIATION, Protocol.INITIATION_LEN),
    RESPONSE(Protocol.TYPE_RESPONSE, Protocol.RESPONSE_LEN),
    COOKIE_REPLY(Protocol.TYPE_COOKIE_REPLY, Protocol.COOKIE_REPLY_LEN),
    TRANSPORT(Protocol.TYPE_TRANSPORT, Protocol.TRANSPORT_MIN_LEN);

    private final int wireType;
    private final int length;

    MessageType(int wireType, int length) {
        this.wireType = wireType;
        this.length = length;
    }

    /** The value of the little-endian u32 type field. */
    public int wireType() { return wireType; }

    /** The exact length of the message; for TRANSPORT the minimum (header and tag of a keepalive). */
    public int length() { return length; }

    /** True if a message of this type may be len bytes long. */
    public boolean acceptsLength(int len) {
        return this == TRANSPORT ? len >= length && len <= Protocol.MAX_MESSAGE_LEN : len == length;
    }

    /** The type with this wire value, or null. */
    static MessageType ofWire(int wireType) {
        return switch (wireType) {
            case Protocol.TYPE_INITIATION -> INITIATION;
            case Protocol.TYPE_RESPONSE -> RESPONSE;
            case Protocol.TYPE_COOKIE_REPLY -> COOKIE_REPLY;
            case Protocol.TYPE_TRANSPORT -> TRANSPORT;
            default -> null;
        };
    }
}
