package jwg.noise.handshake;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import jwg.crypto.Blake2s;
import jwg.crypto.Wipe;
import jwg.crypto.X25519;
import jwg.noise.Protocol;

/**
 * The local static key pair S_priv / S_pub (whitepaper 5.4) and the keys derived from the public
 * key that the responder side of the cookie mechanism needs (5.4.4, 5.4.7):
 * mac1 key = HASH(LABEL_MAC1 || S_pub), cookie key = HASH(LABEL_COOKIE || S_pub).
 * Immutable until {@link #wipe}; accessors return copies. toString shows no key material.
 */
public final class StaticIdentity {
    private final byte[] privateKey;
    private final byte[] publicKey;
    private final byte[] mac1Key;
    private final byte[] cookieKey;

    private StaticIdentity(byte[] privateKey) {
        if (privateKey.length != Protocol.KEY_LEN) throw new IllegalArgumentException("private key must be 32 bytes");
        this.privateKey = privateKey.clone();
        this.publicKey = X25519.publicKey(this.privateKey);
        this.mac1Key = mac1Key(publicKey);
        this.cookieKey = cookieKey(publicKey);
    }

    /** The identity of a 32-byte X25519 private key (copied; clamped by X25519 when used). */
    public static StaticIdentity of(byte[] privateKey) {
        return new StaticIdentity(privateKey);
    }

    /** HASH(LABEL_MAC1 || publicKey): the key of mac1 for messages sent to the owner of publicKey (5.4.4). */
    public static byte[] mac1Key(byte[] publicKey) {
        return Blake2s.hash(Protocol.LABEL_MAC1.getBytes(StandardCharsets.US_ASCII), publicKey);
    }

    /** HASH(LABEL_COOKIE || publicKey): the key cookie replies from the owner of publicKey are sealed with (5.4.7). */
    public static byte[] cookieKey(byte[] publicKey) {
        return Blake2s.hash(Protocol.LABEL_COOKIE.getBytes(StandardCharsets.US_ASCII), publicKey);
    }

    public byte[] publicKey() { return publicKey.clone(); }

    public byte[] mac1Key() { return mac1Key.clone(); }

    public byte[] cookieKey() { return cookieKey.clone(); }

    /** True if this identity's public key equals key. */
    public boolean hasPublicKey(byte[] key) {
        return Arrays.equals(publicKey, key);
    }

    /** DH(S_priv, publicKey) into out; false (out zeroed) if the result is all zeros. */
    boolean sharedSecret(byte[] publicKey, byte[] out) {
        return X25519.sharedSecret(privateKey, publicKey, out);
    }

    /** Overwrites the private key; the identity must not be used afterwards. */
    public void wipe() {
        Wipe.wipe(privateKey);
    }

    @Override
    public String toString() {
        return "StaticIdentity[public key hidden]";
    }
}
