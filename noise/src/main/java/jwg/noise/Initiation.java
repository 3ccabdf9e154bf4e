package jwg.noise;

import java.util.Arrays;

/**
 * Handshake initiation, whitepaper 5.4.2: type 1, sender index, unencrypted ephemeral (32),
 * encrypted static (32 + 16), encrypted timestamp (12 + 16), mac1 (16), mac2 (16): 148 bytes.
 */
public record Initiation(int sender, byte[] ephemeral, byte[] encryptedStatic, byte[] encryptedTimestamp,
                         byte[] mac1, byte[] mac2) implements Message {
    static final int SENDER = 4;
    static final int EPHEMERAL = 8;
    static final int STATIC = 40;
    static final int TIMESTAMP = 88;
    public static final int ENCRYPTED_STATIC_LEN = Protocol.KEY_LEN + Protocol.AEAD_TAG_LEN;
    public static final int ENCRYPTED_TIMESTAMP_LEN = Protocol.TIMESTAMP_LEN + Protocol.AEAD_TAG_LEN;

    public Initiation {
        Wire.checkLength(ephemeral, Protocol.KEY_LEN, "ephemeral");
        Wire.checkLength(encryptedStatic, ENCRYPTED_STATIC_LEN, "encryptedStatic");
        Wire.checkLength(encryptedTimestamp, ENCRYPTED_TIMESTAMP_LEN, "encryptedTimestamp");
        Wire.checkLength(mac1, Protocol.MAC_LEN, "mac1");
        Wire.checkLength(mac2, Protocol.MAC_LEN, "mac2");
    }

    @Override public MessageType type() { return MessageType.INITIATION; }

    @Override
    public byte[] encode() {
        byte[] m = new byte[Protocol.INITIATION_LEN];
        Wire.putInt(m, 0, Protocol.TYPE_INITIATION);
        Wire.putInt(m, SENDER, sender);
        System.arraycopy(ephemeral, 0, m, EPHEMERAL, Protocol.KEY_LEN);
        System.arraycopy(encryptedStatic, 0, m, STATIC, ENCRYPTED_STATIC_LEN);
        System.arraycopy(encryptedTimestamp, 0, m, TIMESTAMP, ENCRYPTED_TIMESTAMP_LEN);
        System.arraycopy(mac1, 0, m, Protocol.INITIATION_MAC1_OFFSET, Protocol.MAC_LEN);
        System.arraycopy(mac2, 0, m, Protocol.INITIATION_MAC2_OFFSET, Protocol.MAC_LEN);
        return m;
    }

    /** Decodes a message already checked to be a well-formed initiation. */
    static Initiation decode(byte[] m) {
        return new Initiation(Wire.getInt(m, SENDER),
                Wire.slice(m, EPHEMERAL, Protocol.KEY_LEN),
                Wire.slice(m, STATIC, ENCRYPTED_STATIC_LEN),
                Wire.slice(m, TIMESTAMP, ENCRYPTED_TIMESTAMP_LEN),
                Wire.slice(m, Protocol.INITIATION_MAC1_OFFSET, Protocol.MAC_LEN),
                Wire.slice(m, Protocol.INITIATION_MAC2_OFFSET, Protocol.MAC_LEN));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Initiation i && sender == i.sender && Arrays.equals(ephemeral, i.ephemeral)
                && Arrays.equals(encryptedStatic, i.encryptedStatic)
                && Arrays.equals(encryptedTimestamp, i.encryptedTimestamp)
                && Arrays.equals(mac1, i.mac1) && Arrays.equals(mac2, i.mac2);
    }

    @Override
    public int hashCode() {
        return 31 * sender + Arrays.hashCode(ephemeral);
    }

    @Override
    public String toString() {
        return "Initiation[sender=" + Wire.index(sender) + "]";
    }
}
