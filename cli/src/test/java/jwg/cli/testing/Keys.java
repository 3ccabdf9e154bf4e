package jwg.cli.testing;

import java.util.Base64;
import jwg.crypto.X25519;

/** A key pair in wg's base64, and helpers to write keys where wg reads them. */
public record Keys(String privateKey, String publicKey) {
    public static Keys generate() {
        byte[] k = X25519.generatePrivateKey();
        return new Keys(Base64.getEncoder().encodeToString(k), Base64.getEncoder().encodeToString(X25519.publicKey(k)));
    }

    public static String psk() {
        byte[] k = new byte[32];
        new java.security.SecureRandom().nextBytes(k);
        return Base64.getEncoder().encodeToString(k);
    }

    /** The private key with the bits RFC 7748 clamps set the other way: a different key that clamps to the same. */
    public static String unclamped(String base64) {
        byte[] k = Base64.getDecoder().decode(base64);
        k[0] |= 7;
        k[31] = (byte) ((k[31] | 0x80) & ~0x40);
        return Base64.getEncoder().encodeToString(k);
    }

    /** The key in the configuration protocol's hex. */
    public static String hex(String base64) {
        return java.util.HexFormat.of().formatHex(Base64.getDecoder().decode(base64));
    }
}
