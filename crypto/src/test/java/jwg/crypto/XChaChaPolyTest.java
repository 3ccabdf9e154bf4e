package jwg.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class XChaChaPolyTest {
    /** draft-irtf-cfrg-xchacha-03 section 2.2.1. */
    @Test
    void hchacha20Vector() {
        byte[] key = Hex.sequence(32);
        byte[] nonce = Hex.bytes("000000090000004a0000000031415927");
        assertArrayEquals(Hex.bytes("82413b4227b27bfed30e42508a877d73a0f9e4d58a74a853c12ec41326d3ecdc"),
                HChaCha20.subkey(key, nonce, 0));
    }

    /** draft-irtf-cfrg-xchacha-03 Appendix A.3.1. */
    @Test
    void xchacha20Poly1305Vector() throws Exception {
        byte[] key = Hex.bytes("808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f");
        byte[] nonce = Hex.bytes("404142434445464748494a4b4c4d4e4f5051525354555657");
        byte[] aad = Hex.bytes("50515253c0c1c2c3c4c5c6c7");
        byte[] expected = Hex.bytes("""
                bd6d179d3e83d43b9576579493c0e939572a1700252bfaccbed2902c21396cbb731c7f1b0b4aa6440bf3a82f4eda7e39
                ae64c6708c54c216cb96b72e1213b4522f8c9ba40db5d945b11b69b982c1bb9e3f3fac2bc369488f76b2383565d3fff9
                21f9664c97637da9768812f615c68b13b52e
                c0875924c1c7987947deafd8780acf49""");
        assertArrayEquals(expected, XChaChaPoly.seal(key, nonce, ChaChaPolyTest.SUNSCREEN, aad));
        assertArrayEquals(ChaChaPolyTest.SUNSCREEN, XChaChaPoly.open(key, nonce, expected, aad));

        byte[] tampered = expected.clone();
        tampered[tampered.length - 1] ^= 0x80;
        assertThrows(AuthenticationFailedException.class, () -> XChaChaPoly.open(key, nonce, tampered, aad));
        byte[] otherNonce = nonce.clone();
        otherNonce[0] ^= 1; // a byte that only reaches the subkey
        assertThrows(AuthenticationFailedException.class, () -> XChaChaPoly.open(key, otherNonce, expected, aad));
        otherNonce[0] ^= 1;
        otherNonce[23] ^= 1; // a byte that only reaches the ChaCha20 nonce
        assertThrows(AuthenticationFailedException.class, () -> XChaChaPoly.open(key, otherNonce, expected, aad));
    }
}
