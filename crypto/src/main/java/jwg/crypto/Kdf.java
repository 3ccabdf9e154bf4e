package jwg.crypto;

/** HKDF over HMAC-BLAKE2s as the whitepaper's KDF_n (section 5.4): n 32-byte outputs. */
public final class Kdf {
    private Kdf() {}

    public static byte[] kdf1(byte[] key, byte[] input) { return kdf(1, key, input)[0]; }

    /** Two outputs: [0] = tau1, [1] = tau2. */
    public static byte[][] kdf2(byte[] key, byte[] input) { return kdf(2, key, input); }

    /** Three outputs: [0] = tau1, [1] = tau2, [2] = tau3. */
    public static byte[][] kdf3(byte[] key, byte[] input) { return kdf(3, key, input); }

    /**
     * Whitepaper 5.4 (HKDF, RFC 5869, with an empty info): tau0 = HMAC(key, input),
     * tau1 = HMAC(tau0, 0x1), tau_i = HMAC(tau0, tau_{i-1} || i).
     */
    private static byte[][] kdf(int n, byte[] key, byte[] input) {
        byte[] tau0 = new byte[Blake2s.HASH_LEN];
        HmacBlake2s.hmac(key, input, input.length, tau0);
        byte[][] out = new byte[n][Blake2s.HASH_LEN];
        byte[] message = new byte[Blake2s.HASH_LEN + 1];
        message[0] = 1;
        HmacBlake2s.hmac(tau0, message, 1, out[0]);
        for (int i = 1; i < n; i++) {
            System.arraycopy(out[i - 1], 0, message, 0, Blake2s.HASH_LEN);
            message[Blake2s.HASH_LEN] = (byte) (i + 1);
            HmacBlake2s.hmac(tau0, message, message.length, out[i]);
        }
        Wipe.wipe(tau0, message);
        return out;
    }
}
