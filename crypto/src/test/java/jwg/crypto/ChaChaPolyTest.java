package jwg.crypto;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ChaChaPolyTest {
    static final byte[] SUNSCREEN = Rfc8439.Section2_8_2.PLAINTEXT;

    /** RFC 8439 section 2.8.2. Its nonce is not WireGuard's counter form. */
    @Test
    void rfc8439Section2_8_2() throws Exception {
        assertArrayEquals(Rfc8439.Section2_8_2.SEALED, ChaChaPoly.seal(Rfc8439.Section2_8_2.KEY, Rfc8439.Section2_8_2.NONCE,
                SUNSCREEN, Rfc8439.Section2_8_2.AAD));
        assertArrayEquals(SUNSCREEN, ChaChaPoly.open(Rfc8439.Section2_8_2.KEY, Rfc8439.Section2_8_2.NONCE,
                Rfc8439.Section2_8_2.SEALED, Rfc8439.Section2_8_2.AAD));
    }

    /** RFC 8439 Appendix A.5 (decryption), whose nonce is WireGuard's counter form. */
    @Test
    void rfc8439AppendixA5ThroughTheCounterNonce() throws Exception {
        assertArrayEquals(Rfc8439.AppendixA5.PLAINTEXT, ChaChaPoly.open(Rfc8439.AppendixA5.KEY, Rfc8439.AppendixA5.COUNTER,
                Rfc8439.AppendixA5.CIPHERTEXT, Rfc8439.AppendixA5.AAD));
        assertArrayEquals(Rfc8439.AppendixA5.CIPHERTEXT, ChaChaPoly.seal(Rfc8439.AppendixA5.KEY, Rfc8439.AppendixA5.COUNTER,
                Rfc8439.AppendixA5.PLAINTEXT, Rfc8439.AppendixA5.AAD));
    }

    @Test
    void rejectsTamperingAndWrongParameters() {
        byte[] key = Hex.sequence(32);
        byte[] aad = "aad".getBytes(US_ASCII);
        byte[] sealed = ChaChaPoly.seal(key, 7, SUNSCREEN, aad);
        for (int i : new int[] {0, SUNSCREEN.length - 1, SUNSCREEN.length, sealed.length - 1}) {
            byte[] bad = sealed.clone();
            bad[i] ^= 1;
            assertThrows(AuthenticationFailedException.class, () -> ChaChaPoly.open(key, 7, bad, aad), "byte " + i);
        }
        assertThrows(AuthenticationFailedException.class, () -> ChaChaPoly.open(key, 8, sealed, aad));
        assertThrows(AuthenticationFailedException.class, () -> ChaChaPoly.open(key, 7, sealed, new byte[0]));
        byte[] otherKey = key.clone();
        otherKey[31] ^= 1;
        assertThrows(AuthenticationFailedException.class, () -> ChaChaPoly.open(otherKey, 7, sealed, aad));
        assertThrows(AuthenticationFailedException.class, () -> ChaChaPoly.open(key, 7, new byte[15], aad));
    }

    /** The handshake seals empty payloads (whitepaper 5.4.3, "empty"): a bare tag. */
    @Test
    void emptyPlaintextIsATag() throws Exception {
        byte[] key = Hex.sequence(32);
        byte[] hash = Blake2s.hash(key);
        byte[] tag = ChaChaPoly.seal(key, 0, new byte[0], hash);
        assertEquals(16, tag.length);
        assertArrayEquals(new byte[0], ChaChaPoly.open(key, 0, tag, hash));
        assertArrayEquals(new byte[0], ChaChaPoly.open(key, 0, tag, hash)); // decryption may repeat
    }

    /**
     * SunJCE refuses an ENCRYPT init with the key and nonce of the Cipher's previous init, even a
     * DECRYPT one (one thread playing both peers meets that); a pure function must not fail.
     */
    @Test
    void sealingAfterTheSameKeyAndNonceGivesTheSameResult() throws Exception {
        byte[] key = Hex.sequence(32);
        byte[] first = ChaChaPoly.seal(key, 1, SUNSCREEN, null);
        assertArrayEquals(first, ChaChaPoly.seal(key, 1, SUNSCREEN, null));
        ChaChaPoly.open(key, 1, first, null);
        assertArrayEquals(first, ChaChaPoly.seal(key, 1, SUNSCREEN, null));
    }

    @Test
    void nullAadIsEmptyAad() throws Exception {
        byte[] key = Hex.sequence(32);
        assertArrayEquals(ChaChaPoly.seal(key, 3, SUNSCREEN, new byte[0]), ChaChaPoly.seal(key, 3, SUNSCREEN, null));
    }
}
