package jwg.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.ByteBuffer;
import java.util.Random;
import java.util.function.IntFunction;

/**
 * Packets laid out as the datapath lays them out: a transport header's room before the payload,
 * the tag's room and some slack after it, random bytes all around (so that writes outside the
 * payload show). Shared by the tests of both AEAD backends.
 */
final class PacketBuffers {
    static final int HEAD = 16; // a transport header before the payload, as on the wire
    static final int SLACK = 7; // bytes past the tag that must stay untouched

    static final IntFunction<ByteBuffer> DIRECT = ByteBuffer::allocateDirect;
    static final IntFunction<ByteBuffer> HEAP = ByteBuffer::allocate;
    /** A heap buffer whose array offset is not zero. */
    static final IntFunction<ByteBuffer> HEAP_SLICE = n -> ByteBuffer.allocate(n + 5).position(5).slice();
    /** A direct buffer that starts inside a larger allocation. */
    static final IntFunction<ByteBuffer> DIRECT_SLICE = n -> ByteBuffer.allocateDirect(n + 3).position(3).slice();

    final Random random;

    PacketBuffers(long seed) {
        random = new Random(seed);
    }

    /** buffer[HEAD, HEAD + payload.length) = payload, with random bytes around it. */
    ByteBuffer packet(IntFunction<ByteBuffer> alloc, byte[] payload) {
        ByteBuffer b = alloc.apply(HEAD + payload.length + PacketAead.TAG_LEN + SLACK);
        byte[] noise = new byte[b.capacity()];
        random.nextBytes(noise);
        b.put(0, noise);
        b.put(HEAD, payload);
        return b.position(HEAD).limit(HEAD + payload.length);
    }

    byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    static byte[] contents(ByteBuffer b, int from, int to) {
        byte[] out = new byte[to - from];
        b.duplicate().clear().get(from, out); // absolute gets stop at the limit; look up to the capacity
        return out;
    }

    static byte[] all(ByteBuffer b) {
        return contents(b, 0, b.capacity());
    }

    /** aead refuses wire (ciphertext||tag) and leaves position, limit and every byte as they were. */
    void assertRejected(PacketAead aead, IntFunction<ByteBuffer> alloc, SessionKey key, long counter, byte[] wire) {
        ByteBuffer b = packet(alloc, wire);
        byte[] before = all(b);
        assertFalse(aead.open(key, counter, b));
        assertEquals(HEAD, b.position());
        assertEquals(HEAD + wire.length, b.limit());
        assertArrayEquals(before, all(b), "a forgery's plaintext must not appear");
    }
}
