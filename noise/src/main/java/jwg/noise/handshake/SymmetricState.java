package jwg.noise.handshake;

import java.nio.charset.StandardCharsets;

import jwg.crypto.AuthenticationFailedException;
import jwg.crypto.Blake2s;
import jwg.crypto.ChaChaPoly;
import jwg.crypto.Kdf;
import jwg.crypto.Wipe;
import jwg.noise.Protocol;

/**
 * The chaining key C and hash H of whitepaper 5.4.2-5.4.4 and the operations on them. Every
 * replaced value is wiped. Not thread-safe; owned by one handshake step at a time.
 */
final class SymmetricState {
    private static final byte[] EMPTY = new byte[0];

    /** C = HASH(CONSTRUCTION) and H = HASH(C || IDENTIFIER) (5.4.2), computed once. */
    private static final class Initial {
        static final byte[] CHAINING_KEY = Blake2s.hash(Protocol.CONSTRUCTION.getBytes(StandardCharsets.US_ASCII));
        static final byte[] HASH = Blake2s.hash(CHAINING_KEY, Protocol.IDENTIFIER.getBytes(StandardCharsets.US_ASCII));
    }

    private byte[] chainingKey;
    private byte[] hash;

    private SymmetricState(byte[] chainingKey, byte[] hash) {
        this.chainingKey = chainingKey;
        this.hash = hash;
    }

    /** The state before the responder's static key is mixed in. */
    static SymmetricState initial() {
        return new SymmetricState(Initial.CHAINING_KEY.clone(), Initial.HASH.clone());
    }

    static byte[] initialChainingKey() { return Initial.CHAINING_KEY.clone(); }

    static byte[] initialHash() { return Initial.HASH.clone(); }

    SymmetricState copy() {
        return new SymmetricState(chainingKey.clone(), hash.clone());
    }

    byte[] chainingKey() { return chainingKey; }

    byte[] hash() { return hash; }

    /** H = HASH(H || data). */
    void mixHash(byte[] data) {
        byte[] old = hash;
        hash = Blake2s.hash(old, data);
        Wipe.wipe(old);
    }

    /** C = KDF1(C, input). */
    void mixKey(byte[] input) {
        byte[] old = chainingKey;
        chainingKey = Kdf.kdf1(old, input);
        Wipe.wipe(old);
    }

    /** (C, k) = KDF2(C, input); returns k (the caller wipes it). */
    byte[] mixKeyAndDeriveKey(byte[] input) {
        byte[][] out = Kdf.kdf2(chainingKey, input);
        Wipe.wipe(chainingKey);
        chainingKey = out[0];
        return out[1];
    }

    /** (C, tau, k) = KDF3(C, Q); H = HASH(H || tau); returns k (5.4.3, the PSK step). */
    byte[] mixPresharedKey(byte[] presharedKey) {
        byte[][] out = Kdf.kdf3(chainingKey, presharedKey);
        Wipe.wipe(chainingKey);
        chainingKey = out[0];
        mixHash(out[1]);
        Wipe.wipe(out[1]);
        return out[2];
    }

    /** AEAD(k, 0, plaintext, H), then H = HASH(H || ciphertext); returns the ciphertext. */
    byte[] encryptAndHash(byte[] key, byte[] plaintext) {
        byte[] ciphertext = ChaChaPoly.seal(key, 0, plaintext, hash);
        mixHash(ciphertext);
        return ciphertext;
    }

    /** The inverse of {@link #encryptAndHash}; null if the ciphertext does not authenticate. */
    byte[] decryptAndHash(byte[] key, byte[] ciphertext) {
        byte[] plaintext;
        try {
            plaintext = ChaChaPoly.open(key, 0, ciphertext, hash);
        } catch (AuthenticationFailedException e) {
            return null;
        }
        mixHash(ciphertext);
        return plaintext;
    }

    /** (T1, T2) = KDF2(C, empty): the transport keys (5.4.5). The caller wipes them. */
    byte[][] split() {
        return Kdf.kdf2(chainingKey, EMPTY);
    }

    void wipe() {
        Wipe.wipe(chainingKey, hash);
    }
}
