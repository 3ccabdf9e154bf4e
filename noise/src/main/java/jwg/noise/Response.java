package jwg.noise;

import java.util.Arrays;

/**
 * Handshake response, whitepaper 5.4.3: type 2, sender index, receiver index, unencrypted
 * ephemeral (32), encrypted nothing (0 + 16), mac1 (16), mac2 (16): 92 bytes.
 */
public record Response(int sender, int receiver, byte[] ephemeral, byte[] encryptedNothing,
                       byte[] mac1, byte[] mac2) implements Message {
    static final int SENDER = 4;
    static final int RECEIVER = 8;
    static final int EPHEMERAL = 12;
    static final int EMPTY = 44;

    public Response {
        Wire.checkLength(ephemeral, Protocol.KEY_LEN, "ephemeral");
        Wire.checkLength(encryptedNothing, Protocol.AEAD_TAG_LEN, "encryptedNothing");
        Wire.checkLength(mac1, Protocol.MAC_LEN, "mac1");
        Wire.checkLength(mac2, Protocol.MAC_LEN, "mac2");
    }

    @Override public MessageType type() { return MessageType.RESPONSE; }

    @Override
    public byte[] encode() {
        byte[] m = new byte[Protocol.RESPONSE_LEN];
        Wire.putInt(m, 0, Protocol.TYPE_RESPONSE);
        Wire.putInt(m, SENDER, sender);
        Wire.putInt(m, RECEIVER, receiver);
        System.arraycopy(ephemeral, 0, m, EPHEMERAL, Protocol.KEY_LEN);
        System.arraycopy(encryptedNothing, 0, m, EMPTY, Protocol.AEAD_TAG_LEN);
        System.arraycopy(mac1, 0, m, Protocol.RESPONSE_MAC1_OFFSET, Protocol.MAC_LEN);
        System.arraycopy(mac2, 0, m, Protocol.RESPONSE_MAC2_OFFSET, Protocol.MAC_LEN);
        return m;
    }

    /** Decodes a message already checked to be a well-formed response. */
    static Response decode(byte[] m) {
        return new Response(Wire.getInt(m, SENDER), Wire.getInt(m, RECEIVER),
                Wire.slice(m, EPHEMERAL, Protocol.KEY_LEN),
                Wire.slice(m, EMPTY, Protocol.AEAD_TAG_LEN),
                Wire.slice(m, Protocol.RESPONSE_MAC1_OFFSET, Protocol.MAC_LEN),
                Wire.slice(m, Protocol.RESPONSE_MAC2_OFFSET, Protocol.MAC_LEN));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Response r && sender == r.sender && receiver == r.receiver
                && Arrays.equals(ephemeral, r.ephemeral) && Arrays.equals(encryptedNothing, r.encryptedNothing)
                && Arrays.equals(mac1, r.mac1) && Arrays.equals(mac2, r.mac2);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * sender + receiver) + Arrays.hashCode(ephemeral);
    }

    @Override
    public String toString() {
        return "Response[sender=" + Wire.index(sender) + ", receiver=" + Wire.index(receiver) + "]";
    }
}
