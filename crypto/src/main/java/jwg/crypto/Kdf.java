package jwg.crypto;

/** HKDF over HMAC-BLAKE2s as the whitepaper's KDF_n (section 5.4): n 32-byte outputs. */
public final class Kdf {
    private Kdf() {}

    public static byte[] kdf1(byte[] key, byte[] input) { throw new UnsupportedOperationException("TODO"); }

    /** Two outputs: [0] = tau1, [1] = tau2. */
    public static byte[][] kdf2(byte[] key, byte[] input) { throw new UnsupportedOperationException("TODO"); }

    /** Three outputs: [0] = tau1, [1] = tau2, [2] = tau3. */
    public static byte[][] kdf3(byte[] key, byte[] input) { throw new UnsupportedOperationException("TODO"); }
}
