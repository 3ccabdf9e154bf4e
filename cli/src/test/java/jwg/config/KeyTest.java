package jwg.config;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HexFormat;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class KeyTest {
    @Test
    void base64RoundTrip() {
        Key k = Key.fromBase64(Fixtures.K1);
        assertEquals(Fixtures.K1, k.toBase64());
        assertEquals(32, k.bytes().length);
        assertEquals(k, Key.fromBase64(Fixtures.K1));
        assertEquals(k.hashCode(), Key.fromBase64(Fixtures.K1).hashCode());
        assertNotEquals(k, Key.fromBase64(Fixtures.K2));
    }

    @Test
    void neverPrintsTheKey() {
        Key k = Key.fromBase64(Fixtures.K1);
        assertEquals("Key[redacted]", k.toString());
        assertFalse(new PeerConfig(k, java.util.Optional.of(k), java.util.Optional.empty(), java.util.List.of(), 0)
                .toString().contains(Fixtures.K1.substring(0, 8)));
    }

    @Test
    void isImmutable() {
        byte[] raw = new byte[32];
        Key k = new Key(raw);
        raw[0] = 1;
        k.bytes()[1] = 1;
        assertTrue(k.isZero());
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "yJujArxZGANCqtmOTfOknwkUi9DW7ivqOvPZd5OEDWM",      // 43: no '='
            "yJujArxZGANCqtmOTfOknwkUi9DW7ivqOvPZd5OEDWM==",    // 45
            "yJujArxZGANCqtmOTfOknwkUi9DW7ivqOvPZd5OEDWMA",     // 44, last not '='
            "yJujArxZGANCqtmOTfOknwkUi9DW7ivqOvPZd5OEDW==",     // '=' as 43rd character
            "yJujArxZGANCqtmOTfOknwkUi9DW7ivqOvPZd5OED-M=",     // URL-safe alphabet
            "yJujArxZGANCqtmOTfOknwkUi9DW7ivqOvPZd5OEDWN=",     // nonzero unused bits (wg refuses)
            ""})
    void refusesWhatWgRefuses(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Key.fromBase64(text));
        if (text.length() > 10) assertFalse(e.getMessage().contains(text.substring(0, 10)));
    }

    @Test
    void wrongByteLength() {
        assertThrows(IllegalArgumentException.class, () -> new Key(new byte[31]));
    }

    @Test
    void derivesThePublicKeyWithX25519() {
        // RFC 7748 section 6.1, Alice.
        Key alice = new Key(HexFormat.of().parseHex("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a"));
        Key derived;
        try {
            derived = alice.derivePublicKey();
        } catch (UnsupportedOperationException e) {
            Assumptions.abort("jwg.crypto.X25519 is still a stub");
            return;
        }
        assertArrayEquals(HexFormat.of().parseHex("8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a"), derived.bytes());
        assertEquals(Key.fromBase64(Fixtures.P1), Key.fromBase64(Fixtures.K1).derivePublicKey(), "as `wg pubkey` computed it");
    }
}
