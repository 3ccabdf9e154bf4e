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
import static jwg.crypto.PacketBuffers.*;

import org.junit.jupiter.api.Test;

class PacketAeadTest {
    private final PacketBuffers buffers = new PacketBuffers(4);
    private final Random random = buffers.random;
    private final PacketAead aead = new PacketAead();

    @Test
    void matchesChaChaPolyInPlaceAtEverySize() throws Exception {
        for (IntFunction<ByteBuffer> alloc : List.of(DIRECT, HEAP, HEAP_SLICE)) {
            for (int size = 0; size <= 1500; size++) {
                byte[] key = buffers.randomBytes(32);
                long counter = random.nextLong();
                byte[] plaintext = buffers.randomBytes(size);
                SessionKey sessionKey = new SessionKey(key);
                ByteBuffer b = buffers.packet(alloc, plaintext);
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
        byte[] key = buffers.randomBytes(32);
        byte[] plaintext = buffers.randomBytes(1420);
        ByteBuffer b = buffers.packet(DIRECT, ChaChaPoly.seal(key, 99, plaintext, null));
        assertTrue(aead.open(new SessionKey(key), 99, b));
        assertArrayEquals(plaintext, contents(b, HEAD, b.limit()));
    }

    /** Every rejection leaves position and limit, and here also the bytes, as they were. */
    @Test
    void rejectsForgeriesWithoutMovingTheBuffer() {
        for (IntFunction<ByteBuffer> alloc : List.of(DIRECT, HEAP, HEAP_SLICE)) {
            byte[] key = buffers.randomBytes(32);
            SessionKey sessionKey = new SessionKey(key);
            byte[] plaintext = buffers.randomBytes(100);
            byte[] sealed = ChaChaPoly.seal(key, 5, plaintext, null);

            for (int i : new int[] {0, 50, 99, 100, 115}) { // ciphertext bytes, then tag bytes
                byte[] forged = sealed.clone();
                forged[i] ^= 0x04;
                buffers.assertRejected(aead, alloc, sessionKey, 5, forged);
            }
            buffers.assertRejected(aead, alloc, sessionKey, 6, sealed);
            buffers.assertRejected(aead, alloc, sessionKey, 5 | (1L << 63), sealed);
            byte[] otherKey = key.clone();
            otherKey[0] ^= 1;
            buffers.assertRejected(aead, alloc, new SessionKey(otherKey), 5, sealed);
            buffers.assertRejected(aead, alloc, sessionKey, 5, Arrays.copyOf(sealed, sealed.length - 1));
            buffers.assertRejected(aead, alloc, sessionKey, 5, new byte[15]);
            buffers.assertRejected(aead, alloc, sessionKey, 5, new byte[0]);
        }
    }

    /**
     * SunJCE refuses an ENCRYPT init with the key and nonce of the Cipher's previous init (ENCRYPT
     * or DECRYPT); sealing must not fail on it.
     */
    @Test
    void sealingAfterTheSameKeyAndNonceGivesTheSameResult() {
        byte[] key = buffers.randomBytes(32);
        SessionKey sessionKey = new SessionKey(key);
        byte[] plaintext = buffers.randomBytes(64);
        ByteBuffer first = buffers.packet(DIRECT, plaintext);
        aead.seal(sessionKey, 1, first);
        byte[] sealed = contents(first, HEAD, first.limit());
        ByteBuffer second = buffers.packet(DIRECT, plaintext);
        aead.seal(sessionKey, 1, second);
        assertArrayEquals(sealed, contents(second, HEAD, second.limit()));
        assertTrue(aead.open(sessionKey, 1, second));
        ByteBuffer third = buffers.packet(HEAP, plaintext);
        aead.seal(sessionKey, 1, third);
        assertArrayEquals(sealed, contents(third, HEAD, third.limit()));
    }

    @Test
    void handlesPacketsLargerThanItsScratch() {
        byte[] key = buffers.randomBytes(32);
        SessionKey sessionKey = new SessionKey(key);
        byte[] plaintext = buffers.randomBytes(65535 - 32);
        ByteBuffer b = buffers.packet(DIRECT, plaintext);
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
        byte[] key = buffers.randomBytes(32);
        byte[] copy = key.clone();
        SessionKey sessionKey = new SessionKey(key);
        sessionKey.wipe();
        Field held = ChaChaKey.class.getDeclaredField("key");
        held.setAccessible(true);
        assertArrayEquals(new byte[32], (byte[]) held.get(sessionKey.key));
        assertArrayEquals(copy, key, "the caller's array is the caller's to wipe");
        ByteBuffer b = buffers.packet(DIRECT, new byte[10]);
        assertThrows(IllegalStateException.class, () -> aead.seal(sessionKey, 0, b));
    }
}
