package jwg.datapath;

/** Checks on 32-byte keys (whitepaper 5.4: every static, ephemeral and preshared key is 32 bytes). */
final class Keys {
    static final int LENGTH = 32;

    private Keys() {}

    static void check(byte[] key, String what) {
        if (key == null || key.length != LENGTH) throw new IllegalArgumentException(what + " must be " + LENGTH + " bytes");
    }

    /** RFC 7748 decodeScalar25519, in place: the private key X25519 actually uses. */
    static void clamp(byte[] key) {
        key[0] &= (byte) 248;
        key[31] &= 127;
        key[31] |= 64;
    }

    static boolean isZero(byte[] key) {
        int acc = 0;
        for (byte b : key) acc |= b;
        return acc == 0;
    }
}
