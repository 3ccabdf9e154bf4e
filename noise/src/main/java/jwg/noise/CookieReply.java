package jwg.noise;

import java.util.Arrays;

/**
 * Cookie reply, whitepaper 5.4.7: type 3, receiver index, nonce (24), encrypted cookie (16 + 16):
 * 64 bytes.
 */
public record CookieReply(int receiver, byte[] nonce, byte[] encryptedCookie) implements Message {
    static final int RECEIVER = 4;
    static final int NONCE = 8;
    static final int COOKIE = 32;
    public static final int ENCRYPTED_COOKIE_LEN = Protocol.MAC_LEN + Protocol.AEAD_TAG_LEN;

    public CookieReply {
        Wire.checkLength(nonce, Protocol.COOKIE_NONCE_LEN, "nonce");
        Wire.checkLength(encryptedCookie, ENCRYPTED_COOKIE_LEN, "encryptedCookie");
    }

    @Override public MessageType type() { return MessageType.COOKIE_REPLY; }

    @Override
    public byte[] encode() {
        byte[] m = new byte[Protocol.COOKIE_REPLY_LEN];
        Wire.putInt(m, 0, Protocol.TYPE_COOKIE_REPLY);
        Wire.putInt(m, RECEIVER, receiver);
        System.arraycopy(nonce, 0, m, NONCE, Protocol.COOKIE_NONCE_LEN);
        System.arraycopy(encryptedCookie, 0, m, COOKIE, ENCRYPTED_COOKIE_LEN);
        return m;
    }

    /** Decodes a message already checked to be a well-formed cookie reply. */
    static CookieReply decode(byte[] m) {
        return new CookieReply(Wire.getInt(m, RECEIVER),
                Wire.slice(m, NONCE, Protocol.COOKIE_NONCE_LEN),
                Wire.slice(m, COOKIE, ENCRYPTED_COOKIE_LEN));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CookieReply c && receiver == c.receiver && Arrays.equals(nonce, c.nonce)
                && Arrays.equals(encryptedCookie, c.encryptedCookie);
    }

    @Override
    public int hashCode() {
        return 31 * receiver + Arrays.hashCode(nonce);
    }

    @Override
    public String toString() {
        return "CookieReply[receiver=" + Wire.index(receiver) + "]";
    }
}
