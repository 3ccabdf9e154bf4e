package jwg.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;

class PacketAeadTest {
    private static final int HEAD = 16; // a transport header before the payload, as on the wire
    private static final int SLACK = 7; // bytes past the tag that must stay untouched

    private final Random random = new Random(4);
    private final PacketAead aead = new PacketAead();

    private static final IntFunction<ByteBuffer> DIRECT = ByteBuffer::allocateDirect;
    private static final IntFunction<ByteBuffer> HEAP = ByteBuffer::allocate;
    /** A heap buffer whose array offset is not zero. */
    private static final IntFunction<ByteBuffer> HEAP_SLICE = n -> ByteBuffer.allocate(n + 5).position(5).slice();

    /** buffer[HEAD, HEAD + payload.length) = payload, with random bytes around it. */
    private ByteBuffer packet(IntFunction<ByteBuffer> alloc, byte[] payload) {
        ByteBuffer b = alloc.apply(HEAD + payload.length + PacketAead.TAG_LEN + SLACK);
        byte[] noise = new byte[b.capacity()];
        random.nextBytes(noise);
        b.put(0, noise);
        b.put(HEAD, payload);
        return b.position(HEAD).limit(HEAD + payload.length);
    }

    private static byte[] contents(ByteBuffer b, int from, int to) {
        byte[] out = new byte[to - from];
        b.duplicate().clear().get(from, out); // absolute gets stop at the limit; look up to the capacity
        return out;
    }

    private static byte[] all(ByteBuffer b) {
        return contents(b, 0, b.capacity());
    }

    private byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    @Test
    void matchesChaChaPolyInPlaceAtEverySize() throws Exception {
        for (IntFunction<ByteBuffer> alloc : List.of(DIRECT, HEAP, HEAP_SLICE)) {
            for (int size = 0; size <= 1500; size++) {
                byte[] key = randomBytes(32);
                long counter = random.nextLong();
                byte[] plaintext = randomBytes(size);
                SessionKey sessionKey = new SessionKey(key);
                ByteBuffer b = packet(alloc, plaintext);
                byte[] before = all(b);

                aead.seal(sessionKey, counter, b);
                assertEquals(HEAD, b.position());
                assertEquals(HEAD + size + PacketAead.TAG_LEN, b.limit());
                byte[] sealed = contents(b, HEAD, b.limit());
                assertArrayEquals(ChaChaPoly.seal(key, counter, plaintext, null), sealed, "size " + size);
                assertArrayEquals(contents(ByteBuffer.wrap(before), 0, HEAD), contents(b, 0, HEAD));
                assertArrayEquals(contents(ByteBuffer.wrap(before), b.limit(), b.capacity()), contents(b, b.limit(), b.capacity()));

                assertTrue(aead.open(sessionKey, counter, b), "size " + size);
                assertEquals(HEAD, b.position());
                assertEquals(HEAD + size, b.limit());
                assertArrayEquals(plaintext, contents(b, HEAD, b.limit()));
                assertArrayEquals(contents(ByteBuffer.wrap(before), 0, HEAD), contents(b, 0, HEAD));
            }
        }
    }

    @Test
    void opensWhatChaChaPolySealed() {
        byte[] key = randomBytes(32);
        byte[] plaintext = randomBytes(1420);
        ByteBuffer b = packet(DIRECT, ChaChaPoly.seal(key, 99, plaintext, null));
        assertTrue(aead.open(new SessionKey(key), 99, b));
        assertArrayEquals(plaintext, contents(b, HEAD, b.limit()));
    }

    /** Every rejection leaves position and limit, and here also the bytes, as they were. */
    @Test
    void rejectsForgeriesWithoutMovingTheBuffer() {
        for (IntFunction<ByteBuffer> alloc : List.of(DIRECT, HEAP, HEAP_SLICE)) {
            byte[] key = randomBytes(32);
            SessionKey sessionKey = new SessionKey(key);
            byte[] plaintext = randomBytes(100);
            byte[] sealed = ChaChaPoly.seal(key, 5, plaintext, null);

            for (int i : new int[] {0, 50, 99, 100, 115}) { // ciphertext bytes, then tag bytes
                byte[] forged = sealed.clone();
                forged[i] ^= 0x04;
                assertRejected(alloc, sessionKey, 5, forged);
            }
            assertRejected(alloc, sessionKey, 6, sealed);
            assertRejected(alloc, sessionKey, 5 | (1L << 63), sealed);
            byte[] otherKey = key.clone();
            otherKey[0] ^= 1;
            assertRejected(alloc, new SessionKey(otherKey), 5, sealed);
            assertRejected(alloc, sessionKey, 5, Arrays.copyOf(sealed, sealed.length - 1));
            assertRejected(alloc, sessionKey, 5, new byte[15]);
            assertRejected(alloc, sessionKey, 5, new byte[0]);
        }
    }

    private void assertRejected(IntFunction<ByteBuffer> alloc, SessionKey key, long counter, byte[] wire) {
        ByteBuffer b = packet(alloc, wire);
        byte[] before = all(b);
        assertFalse(aead.open(key, counter, b));
        assertEquals(HEAD, b.position());
        assertEquals(HEAD + wire.length, b.limit());
        assertArrayEquals(before, all(b), "a forgery's plaintext must not appear");
    }

    /**
     * SunJCE refuses an ENCRYPT init with the key and nonce of the Cipher's previous init (ENCRYPT
     * or DECRYPT); sealing must not fail on it.
     */
    @Test
    void sealingAfterTheSameKeyAndNonceGivesTheSameResult() {
        byte[] key = randomBytes(32);
        SessionKey sessionKey = new SessionKey(key);
        byte[] plaintext = randomBytes(64);
        ByteBuffer first = packet(DIRECT, plaintext);
        aead.seal(sessionKey, 1, first);
        byte[] sealed = contents(first, HEAD, first.limit());
        ByteBuffer second = packet(DIRECT, plaintext);
        aead.seal(sessionKey, 1, second);
        assertArrayEquals(sealed, contents(second, HEAD, second.limit()));
        assertTrue(aead.open(sessionKey, 1, second));
        ByteBuffer third = packet(HEAP, plaintext);
        aead.seal(sessionKey, 1, third);
        assertArrayEquals(sealed, contents(third, HEAD, third.limit()));
    }

    @Test
    void handlesPacketsLargerThanItsScratch() {
        byte[] key = randomBytes(32);
        SessionKey sessionKey = new SessionKey(key);
        byte[] plaintext = randomBytes(65535 - 32);
        ByteBuffer b = packet(DIRECT, plaintext);
        aead.seal(sessionKey, 2, b);
        assertArrayEquals(ChaChaPoly.seal(key, 2, plaintext, null), contents(b, HEAD, b.limit()));
        assertTrue(aead.open(sessionKey, 2, b));
        assertArrayEquals(plaintext, contents(b, HEAD, b.limit()));
    }

    @Test
    void refusesToSealWithoutRoomForTheTag() {
        ByteBuffer b = ByteBuffer.allocateDirect(100).limit(90);
        assertThrows(IllegalArgumentException.class, () -> aead.seal(new SessionKey(new byte[32]), 0, b));
        assertEquals(0, b.position());
        assertEquals(90, b.limit());
    }

    @Test
    void wipeZeroesTheKeyAndDisablesIt() throws Exception {
        byte[] key = randomBytes(32);
        byte[] copy = key.clone();
        SessionKey sessionKey = new SessionKey(key);
        sessionKey.wipe();
        Field held = ChaChaKey.class.getDeclaredField("key");
        held.setAccessible(true);
        assertArrayEquals(new byte[32], (byte[]) held.get(sessionKey.key));
        assertArrayEquals(copy, key, "the caller's array is the caller's to wipe");
        ByteBuffer b = packet(DIRECT, new byte[10]);
        assertThrows(IllegalStateException.class, () -> aead.seal(sessionKey, 0, b));
    }
}
