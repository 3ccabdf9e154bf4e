package jwg.crypto;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ChaChaPolyTest {
    static final byte[] SUNSCREEN = ("Ladies and Gentlemen of the class of '99: If I could offer you only one tip "
            + "for the future, sunscreen would be it.").getBytes(US_ASCII);

    /** RFC 8439 section 2.8.2. Its nonce (07000000 4041...47) is not WireGuard's counter form. */
    @Test
    void rfc8439Section2_8_2() throws Exception {
        byte[] key = Hex.bytes("808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f");
        byte[] nonce = Hex.bytes("070000004041424344454647");
        byte[] aad = Hex.bytes("50515253c0c1c2c3c4c5c6c7");
        byte[] expected = Hex.bytes("""
                d31a8d34648e60db7b86afbc53ef7ec2a4aded51296e08fea9e2b5a736ee62d63dbea45e8ca9671282fafb69da92728b
                1a71de0a9e060b2905d6a5b67ecd3b3692ddbd7f2d778b8c9803aee328091b58fab324e4fad675945585808b4831d7bc
                3ff4def08e4b7a9de576d26586cec64b6116
                1ae10b594f09e26a7e902ecbd0600691""");
        assertArrayEquals(expected, ChaChaPoly.seal(key, nonce, SUNSCREEN, aad));
        assertArrayEquals(SUNSCREEN, ChaChaPoly.open(key, nonce, expected, aad));
    }

    /**
     * RFC 8439 Appendix A.5 (decryption). Its nonce 00000000 0102030405060708 is WireGuard's form:
     * four zero bytes, then the counter 0x0807060504030201 little-endian.
     */
    @Test
    void rfc8439AppendixA5ThroughTheCounterNonce() throws Exception {
        byte[] key = Hex.bytes("1c9240a5eb55d38af333888604f6b5f0473917c1402b80099dca5cbc207075c0");
        long counter = 0x0807060504030201L;
        byte[] aad = Hex.bytes("f33388860000000000004e91");
        byte[] ciphertext = Hex.bytes("""
                64a0861575861af460f062c79be643bd5e805cfd345cf389f108670ac76c8cb24c6cfc18755d43eea09ee94e382d26b0
                bdb7b73c321b0100d4f03b7f355894cf332f830e710b97ce98c8a84abd0b948114ad176e008d33bd60f982b1ff37c855
                9797a06ef4f0ef61c186324e2b3506383606907b6a7c02b0f9f6157b53c867e4b9166c767b804d46a59b5216cde7a4e9
                9040c5a40433225ee282a1b0a06c523eaf4534d7f83fa1155b0047718cbc546a0d072b04b3564eea1b422273f548271a
                0bb2316053fa76991955ebd63159434ecebb4e466dae5a1073a6727627097a1049e617d91d361094fa68f0ff77987130
                305beaba2eda04df997b714d6c6f2c29a6ad5cb4022b02709b
                eead9d67890cbb22392336fea1851f38""");
        byte[] plaintext = Hex.bytes("""
                496e7465726e65742d4472616674732061726520647261667420646f63756d656e74732076616c696420666f722061
                206d6178696d756d206f6620736978206d6f6e74687320616e64206d617920626520757064617465642c207265706c
                616365642c206f72206f62736f6c65746564206279206f7468657220646f63756d656e747320617420616e79207469
                6d652e20497420697320696e617070726f70726961746520746f2075736520496e7465726e65742d44726166747320
                6173207265666572656e6365206d6174657269616c206f7220746f2063697465207468656d206f7468657220746861
                6e206173202fe2809c776f726b20696e2070726f67726573732e2fe2809d""");
        assertArrayEquals(plaintext, ChaChaPoly.open(key, counter, ciphertext, aad));
        assertArrayEquals(ciphertext, ChaChaPoly.seal(key, counter, plaintext, aad));
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
