package jwg.crypto;

import static jwg.crypto.PacketBuffers.DIRECT;
import static jwg.crypto.PacketBuffers.DIRECT_SLICE;
import static jwg.crypto.PacketBuffers.HEAD;
import static jwg.crypto.PacketBuffers.HEAP;
import static jwg.crypto.PacketBuffers.all;
import static jwg.crypto.PacketBuffers.contents;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.function.IntFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * OpenSslAead keeps a key in each of its two contexts between messages and passes only the nonce
 * per message: these tests change keys, counters, directions and buffer kinds in every order and
 * check each message against SunJCE (ChaChaPoly), so a context that kept a stale key or nonce, or
 * an unfinished MAC, shows as a wrong message.
 */
class OpenSslAeadContextTest {
    private final PacketBuffers buffers = new PacketBuffers(20250);
    private final Random random = buffers.random;
    private final PacketAead openssl = new PacketAead("openssl");

    @AfterEach
    void close() {
        openssl.close();
    }

    /** Same key, consecutive counters: every message has its own keystream, each SunJCE's. */
    @Test
    void everyMessageTakesItsOwnNonce() {
        byte[] key = buffers.randomBytes(32);
        SessionKey sk = new SessionKey(key);
        byte[] plaintext = new byte[64];
        Set<String> seen = new HashSet<>();
        for (long counter = 0; counter < 50; counter++) {
            ByteBuffer b = buffers.packet(DIRECT, plaintext);
            openssl.seal(sk, counter, b);
            byte[] sealed = contents(b, HEAD, b.limit());
            assertArrayEquals(ChaChaPoly.seal(key, counter, plaintext, null), sealed, "counter " + counter);
            assertTrue(seen.add(java.util.HexFormat.of().formatHex(sealed)), "keystream repeated at counter " + counter);
            assertTrue(openssl.open(sk, counter, b));
            assertArrayEquals(plaintext, contents(b, HEAD, b.limit()));
        }
    }

    /**
     * Random interleaving of seal and open, three keys (two of them equal in value but distinct
     * objects), repeated and random counters, empty messages, direct and heap buffers.
     */
    @Test
    void keysCountersAndDirectionsInAnyOrder() {
        byte[] k1 = buffers.randomBytes(32);
        byte[] k2 = buffers.randomBytes(32);
        byte[][] keyBytes = {k1, k2, k1};
        SessionKey[] keys = {new SessionKey(k1), new SessionKey(k2), new SessionKey(k1)};
        List<IntFunction<ByteBuffer>> kinds = List.of(DIRECT, DIRECT_SLICE, HEAP);
        long[] counters = {0, 1, 2, random.nextLong()};
        for (int i = 0; i < 400; i++) {
            int k = random.nextInt(keys.length);
            long counter = counters[random.nextInt(counters.length)];
            byte[] plaintext = buffers.randomBytes(random.nextInt(4) == 0 ? 0 : random.nextInt(1500));
            byte[] expected = ChaChaPoly.seal(keyBytes[k], counter, plaintext, null);
            IntFunction<ByteBuffer> kind = kinds.get(random.nextInt(kinds.size()));
            String what = "step " + i + ", key " + k + ", counter " + counter + ", " + plaintext.length + " bytes";
            if (random.nextBoolean()) {
                ByteBuffer b = buffers.packet(kind, plaintext);
                openssl.seal(keys[k], counter, b);
                assertArrayEquals(expected, contents(b, HEAD, b.limit()), what);
            } else {
                ByteBuffer b = buffers.packet(kind, expected);
                assertTrue(openssl.open(keys[k], counter, b), what);
                assertArrayEquals(plaintext, contents(b, HEAD, b.limit()), what);
            }
        }
    }

    /** A context may still hold a key that has since been wiped: the key is refused all the same. */
    @Test
    void aWipedKeyIsRefusedWhileItsContextStillHoldsIt() {
        byte[] key = buffers.randomBytes(32);
        SessionKey sk = new SessionKey(key);
        byte[] plaintext = buffers.randomBytes(100);
        ByteBuffer sealed = buffers.packet(DIRECT, plaintext);
        openssl.seal(sk, 7, sealed);
        ByteBuffer opened = buffers.packet(DIRECT, contents(sealed, HEAD, sealed.limit()));
        assertTrue(openssl.open(sk, 7, opened));
        sk.wipe();

        ByteBuffer b = buffers.packet(DIRECT, plaintext);
        byte[] before = all(b);
        assertThrows(IllegalStateException.class, () -> openssl.seal(sk, 8, b));
        assertArrayEquals(before, all(b));
        assertEquals(HEAD + plaintext.length, b.limit());
        ByteBuffer c = buffers.packet(DIRECT, ChaChaPoly.seal(key, 8, plaintext, null));
        byte[] beforeOpen = all(c);
        assertThrows(IllegalStateException.class, () -> openssl.open(sk, 8, c));
        assertArrayEquals(beforeOpen, all(c));

        // The instance itself is fine: another key works in both directions.
        byte[] other = buffers.randomBytes(32);
        ByteBuffer d = buffers.packet(DIRECT, plaintext);
        openssl.seal(new SessionKey(other), 8, d);
        assertArrayEquals(ChaChaPoly.seal(other, 8, plaintext, null), contents(d, HEAD, d.limit()));
        assertTrue(openssl.open(new SessionKey(other), 8, d));
    }

    /** A rejected open ends its message: the messages after it, with the same key, come out right. */
    @Test
    void forgeriesLeaveTheContextsReadyForTheNextMessage() {
        byte[] key = buffers.randomBytes(32);
        SessionKey sk = new SessionKey(key);
        for (int size : new int[] {0, 1, 64, 1420}) {
            for (IntFunction<ByteBuffer> kind : List.of(DIRECT, HEAP)) {
                for (long counter = 10; counter < 13; counter++) {
                    byte[] plaintext = buffers.randomBytes(size);
                    byte[] sealed = ChaChaPoly.seal(key, counter, plaintext, null);
                    byte[] forged = sealed.clone();
                    forged[random.nextInt(forged.length)] ^= 1;
                    buffers.assertRejected(openssl, kind, sk, counter, forged);
                    ByteBuffer b = buffers.packet(kind, sealed);
                    assertTrue(openssl.open(sk, counter, b), "size " + size + ", counter " + counter);
                    assertArrayEquals(plaintext, contents(b, HEAD, b.limit()));
                    buffers.assertRejected(openssl, kind, sk, counter, forged);
                    ByteBuffer s = buffers.packet(kind, plaintext);
                    openssl.seal(sk, counter + 100, s);
                    assertArrayEquals(ChaChaPoly.seal(key, counter + 100, plaintext, null), contents(s, HEAD, s.limit()));
                }
            }
        }
    }

    /** Two instances never share a context: one's key changes do not reach the other's messages. */
    @Test
    void instancesAreIndependent() {
        byte[] k1 = buffers.randomBytes(32);
        byte[] k2 = buffers.randomBytes(32);
        SessionKey s1 = new SessionKey(k1);
        SessionKey s2 = new SessionKey(k2);
        try (PacketAead other = new PacketAead("openssl")) {
            byte[] plaintext = buffers.randomBytes(200);
            for (long counter = 0; counter < 5; counter++) {
                ByteBuffer a = buffers.packet(DIRECT, plaintext);
                ByteBuffer b = buffers.packet(DIRECT, plaintext);
                openssl.seal(s1, counter, a);
                other.seal(s2, counter, b);
                assertArrayEquals(ChaChaPoly.seal(k1, counter, plaintext, null), contents(a, HEAD, a.limit()));
                assertArrayEquals(ChaChaPoly.seal(k2, counter, plaintext, null), contents(b, HEAD, b.limit()));
                assertFalse(other.open(s2, counter, buffers.packet(DIRECT, contents(a, HEAD, a.limit()))));
                assertTrue(openssl.open(s1, counter, a));
                assertTrue(other.open(s2, counter, b));
            }
        }
    }
}
