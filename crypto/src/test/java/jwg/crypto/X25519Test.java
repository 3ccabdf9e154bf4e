package jwg.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class X25519Test {
    private static byte[] dh(String scalar, String u) {
        byte[] out = new byte[32];
        assertTrue(X25519.sharedSecret(Hex.bytes(scalar), Hex.bytes(u), out));
        return out;
    }

    /** RFC 7748 section 5.2, the two single scalar multiplications (unclamped scalars; u of the
     *  second has its top bit set, which the function must mask). */
    @Test
    void rfc7748Section5_2() {
        assertArrayEquals(Hex.bytes("c3da55379de9c6908e94ea4df28d084f32eccf03491c71f754b4075577a28552"),
                dh("a546e36bf0527c9d3b16154b82465edd62144c0ac1fc5a18506a2244ba449ac4",
                        "e6db6867583030db3594c1a424b15f7c726624ec26b3353b10a903a6d0ab1c4c"));
        assertArrayEquals(Hex.bytes("95cbde9476e8907d7aade45cb4b873f88b595a68799fa152e6f8f7647aac7957"),
                dh("4b66e9d4d1b4673c5ad22691957d6af5c11b6421e0ea01d42ca4169e7918ba0d",
                        "e5210f12786811d3f4b7959d0538ae2c31dbe7106fc03c3efc4cd549c715a493"));
    }

    /** RFC 7748 section 5.2, iterated: k = u = 9, then k, u = X25519(k, u), k; after 1 and 1000. */
    @Test
    void rfc7748Section5_2Iterated() {
        byte[] k = new byte[32];
        k[0] = 9;
        byte[] u = k.clone();
        for (int i = 1; i <= 1000; i++) {
            byte[] next = new byte[32];
            assertTrue(X25519.sharedSecret(k, u, next));
            u = k;
            k = next;
            if (i == 1) {
                assertArrayEquals(Hex.bytes("422c8e7a6227d7bca1350b3e2bb7279f7897b87bb6854b783c60e80311ae3079"), k);
            }
        }
        assertArrayEquals(Hex.bytes("684cf59ba83309552800ef566f2f4d3c1c3887c49360e3875f2eb94d99532c51"), k);
    }

    /** RFC 7748 section 6.1. */
    @Test
    void rfc7748Section6_1() {
        byte[] alice = Hex.bytes("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a");
        byte[] bob = Hex.bytes("5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb");
        byte[] alicePublic = X25519.publicKey(alice);
        byte[] bobPublic = X25519.publicKey(bob);
        assertArrayEquals(Hex.bytes("8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a"), alicePublic);
        assertArrayEquals(Hex.bytes("de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f"), bobPublic);
        byte[] k = Hex.bytes("4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742");
        byte[] out = new byte[32];
        assertTrue(X25519.sharedSecret(alice, bobPublic, out));
        assertArrayEquals(k, out);
        assertTrue(X25519.sharedSecret(bob, alicePublic, out));
        assertArrayEquals(k, out);
    }

    /**
     * Points of small order give the all-zero secret (RFC 7748 section 6.1): 0 and 1, the two
     * order-8 points, p - 1 (order 2), and the non-canonical p and p + 1 (that is 0 and 1).
     */
    @Test
    void lowOrderPointsAreRejectedWithOutputZeroed() {
        String[] points = {
                "0000000000000000000000000000000000000000000000000000000000000000",
                "0100000000000000000000000000000000000000000000000000000000000000",
                "e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800",
                "5f9c95bca3508c24b1d0b1559c83ef5b04445cc4581c8e86d8224eddd09f1157",
                "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
                "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
                "eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
        };
        byte[] priv = X25519.generatePrivateKey();
        for (String p : points) {
            byte[] out = new byte[32];
            Arrays.fill(out, (byte) 0xAA);
            assertFalse(X25519.sharedSecret(priv, Hex.bytes(p), out), p);
            assertArrayEquals(new byte[32], out, p);
        }
    }

    @Test
    void generatedKeysAreClampedAndAgree() {
        byte[] a = X25519.generatePrivateKey();
        byte[] b = X25519.generatePrivateKey();
        assertFalse(Arrays.equals(a, b));
        for (byte[] k : new byte[][] {a, b}) {
            assertEquals(0, k[0] & 7);
            assertEquals(0x40, k[31] & 0xC0);
        }
        byte[] ab = new byte[32];
        byte[] ba = new byte[32];
        assertTrue(X25519.sharedSecret(a, X25519.publicKey(b), ab));
        assertTrue(X25519.sharedSecret(b, X25519.publicKey(a), ba));
        assertArrayEquals(ab, ba);
    }

    /** `wg pubkey` clamps: a key with the clamped bits flipped has the same public key. */
    @Test
    void publicKeyClampsWithoutTouchingItsArgument() {
        byte[] k = X25519.generatePrivateKey();
        byte[] unclamped = k.clone();
        unclamped[0] |= 7;
        unclamped[31] ^= (byte) 0xC0;
        byte[] copy = unclamped.clone();
        assertArrayEquals(X25519.publicKey(k), X25519.publicKey(unclamped));
        assertArrayEquals(copy, unclamped);
        assertNotEquals(Hex.string(k), Hex.string(unclamped));
    }
}
