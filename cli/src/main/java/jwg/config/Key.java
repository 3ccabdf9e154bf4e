package jwg.config;

import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import jwg.crypto.X25519;

/**
 * A 32-byte WireGuard key (private, public or preshared). {@link #toString()} never shows it; use
 * {@link #toBase64()} where the key must be written out (UAPI, showconf, SaveConfig).
 */
public record Key(byte[] bytes) {
    public static final int LENGTH = 32;
    /** Base64 length of a key: 43 characters and one '='. */
    public static final int BASE64_LENGTH = 44;

    public Key {
        if (bytes.length != LENGTH) throw new IllegalArgumentException("a key is " + LENGTH + " bytes");
        bytes = bytes.clone();
    }

    /**
     * Decodes a key the way wg's key_from_base64 does: exactly 44 characters, the last one '=', the
     * others from the standard base64 alphabet, and the unused low bits of the 43rd character zero.
     * The exception message never contains the input.
     */
    public static Key fromBase64(String base64) {
        if (base64.length() != BASE64_LENGTH || base64.charAt(BASE64_LENGTH - 1) != '=') {
            throw new IllegalArgumentException("a key is " + BASE64_LENGTH + " base64 characters ending in '=', this is "
                    + base64.length() + " characters");
        }
        for (int i = 0; i < BASE64_LENGTH - 1; i++) {
            if (base64Value(base64.charAt(i)) < 0) throw new IllegalArgumentException("a key must be base64, this has other characters");
        }
        if ((base64Value(base64.charAt(BASE64_LENGTH - 2)) & 3) != 0) {
            throw new IllegalArgumentException("not a canonical base64 encoding of 32 bytes (last character before '=')");
        }
        return new Key(Base64.getDecoder().decode(base64));
    }

    public String toBase64() {
        return Base64.getEncoder().encodeToString(bytes);
    }

    @Override
    public byte[] bytes() {
        return bytes.clone();
    }

    /** All zero: as a preshared key it means "none", as a private key "no identity". */
    public boolean isZero() {
        int acc = 0;
        for (byte b : bytes) acc |= b;
        return acc == 0;
    }

    /** Taking this key as a private key, its X25519 public key (clamped first, as wg pubkey does). */
    public Key derivePublicKey() {
        return new Key(X25519.publicKey(bytes()));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Key k && MessageDigest.isEqual(bytes, k.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return "Key[redacted]";
    }

    private static int base64Value(char c) {
        if (c >= 'A' && c <= 'Z') return c - 'A';
        if (c >= 'a' && c <= 'z') return c - 'a' + 26;
        if (c >= '0' && c <= '9') return c - '0' + 52;
        if (c == '+') return 62;
        if (c == '/') return 63;
        return -1;
    }
}
