package jwg.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntFunction;
import static jwg.crypto.PacketBuffers.*;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The OpenSSL backend on its own and against the JDK's; this machine has libcrypto.so.3, so it must be usable. */
class OpenSslAeadTest {
    private final PacketBuffers buffers = new PacketBuffers(8439);
    private final Random random = buffers.random;
    private final PacketAead openssl = new PacketAead("openssl");
    private final PacketAead jdk = new PacketAead("jdk");


    @AfterEach
    void close() {
        openssl.close();
        jdk.close();
    }

    @Test
    void isAvailableHereAndSelectedByDefault() {
        assertNull(OpenSslAead.unavailableReason());
        assertEquals("openssl", openssl.engineName());
        assertEquals("jdk", jdk.engineName());
        if (System.getProperty(PacketAead.BACKEND_PROPERTY) == null) {
            assertEquals("openssl", PacketAead.backend(), PacketAead.backendReason());
            assertEquals("openssl", new PacketAead().engineName());
        }
    }

    /** RFC 8439 section 2.8.2, through the OpenSSL engine with its own nonce and AAD. */
    @Test
    void rfc8439Section2_8_2() {
        byte[] key = Rfc8439.Section2_8_2.KEY;
        byte[] nonce = Rfc8439.Section2_8_2.NONCE;
        byte[] aad = Rfc8439.Section2_8_2.AAD;
        byte[] expected = Rfc8439.Section2_8_2.SEALED;
        OpenSslAead aead = new OpenSslAead();
        try {
            assertArrayEquals(expected, aead.seal(key, nonce, aad, Rfc8439.Section2_8_2.PLAINTEXT));
            assertArrayEquals(Rfc8439.Section2_8_2.PLAINTEXT, aead.open(key, nonce, aad, expected));
            byte[] forged = expected.clone();
            forged[3] ^= 1;
            assertNull(aead.open(key, nonce, aad, forged));
            byte[] otherAad = aad.clone();
            otherAad[0] ^= 1;
            assertNull(aead.open(key, nonce, otherAad, expected));
        } finally {
            aead.close();
        }
    }

    private static final byte[] A5_KEY = Rfc8439.AppendixA5.KEY;
    private static final long A5_COUNTER = Rfc8439.AppendixA5.COUNTER;
    private static final byte[] A5_CIPHERTEXT = Rfc8439.AppendixA5.CIPHERTEXT;
    private static final byte[] A5_PLAINTEXT = Rfc8439.AppendixA5.PLAINTEXT;

    /** RFC 8439 A.5, whose nonce is WireGuard's counter form, through the OpenSSL engine (it has AAD). */
    @Test
    void rfc8439AppendixA5() {
        byte[] nonce = Rfc8439.AppendixA5.NONCE;
        byte[] aad = Rfc8439.AppendixA5.AAD;
        OpenSslAead aead = new OpenSslAead();
        try {
            assertArrayEquals(A5_PLAINTEXT, aead.open(A5_KEY, nonce, aad, A5_CIPHERTEXT));
            assertArrayEquals(A5_CIPHERTEXT, aead.seal(A5_KEY, nonce, aad, A5_PLAINTEXT));
        } finally {
            aead.close();
        }
    }

    /** The A.5 key and counter through the PacketAead datapath (no AAD), checked against ChaChaPoly. */
    @Test
    void a5KeyAndCounterThroughTheDatapath() throws Exception {
        for (IntFunction<ByteBuffer> alloc : List.of(DIRECT, HEAP)) {
            ByteBuffer b = buffers.packet(alloc, A5_PLAINTEXT);
            openssl.seal(new SessionKey(A5_KEY), A5_COUNTER, b);
            byte[] sealed = contents(b, HEAD, b.limit());
            assertArrayEquals(ChaChaPoly.seal(A5_KEY, A5_COUNTER, A5_PLAINTEXT, null), sealed);
            // Same keystream as the RFC's (the AAD changes only the tag).
            assertArrayEquals(java.util.Arrays.copyOf(A5_CIPHERTEXT, A5_PLAINTEXT.length),
                    java.util.Arrays.copyOf(sealed, A5_PLAINTEXT.length));
            assertTrue(openssl.open(new SessionKey(A5_KEY), A5_COUNTER, b));
            assertArrayEquals(A5_PLAINTEXT, contents(b, HEAD, b.limit()));
        }
    }

    /** Random keys, counters and sizes 0..1500, both directions, all buffer kinds, non-zero positions. */
    @Test
    void crossChecksWithTheJdkBackend() {
        for (IntFunction<ByteBuffer> alloc : List.of(DIRECT, DIRECT_SLICE, HEAP, HEAP_SLICE)) {
            for (int size = 0; size <= 1500; size += 1 + random.nextInt(7)) {
                byte[] key = buffers.randomBytes(32);
                long counter = random.nextLong();
                byte[] plaintext = buffers.randomBytes(size);
                SessionKey sk = new SessionKey(key);
                for (boolean opensslSeals : new boolean[] {true, false}) {
                    PacketAead sealer = opensslSeals ? openssl : jdk;
                    PacketAead opener = opensslSeals ? jdk : openssl;
                    ByteBuffer a = buffers.packet(alloc, plaintext);
                    ByteBuffer b = buffers.packet(alloc, plaintext);
                    byte[] before = all(a);
                    sealer.seal(sk, counter, a);
                    opener.seal(sk, counter, b);
                    assertEquals(HEAD, a.position());
                    assertEquals(HEAD + size + PacketAead.TAG_LEN, a.limit());
                    assertArrayEquals(contents(b, HEAD, b.limit()), contents(a, HEAD, a.limit()), "size " + size);
                    assertArrayEquals(java.util.Arrays.copyOf(before, HEAD), contents(a, 0, HEAD));
                    assertArrayEquals(java.util.Arrays.copyOfRange(before, a.limit(), a.capacity()),
                            contents(a, a.limit(), a.capacity()), "bytes past the tag");
                    assertTrue(opener.open(sk, counter, a), "size " + size);
                    assertEquals(HEAD, a.position());
                    assertEquals(HEAD + size, a.limit());
                    assertArrayEquals(plaintext, contents(a, HEAD, a.limit()));
                }
            }
        }
    }

    /** Tag, ciphertext, counter and key tampering: false, position and limit unchanged (bytes too). */
    @Test
    void rejectsTamperingWithoutMovingTheBuffer() {
        for (IntFunction<ByteBuffer> alloc : List.of(DIRECT, DIRECT_SLICE, HEAP, HEAP_SLICE)) {
            for (int size : new int[] {0, 1, 63, 64, 65, 1420}) {
                byte[] key = buffers.randomBytes(32);
                SessionKey sk = new SessionKey(key);
                long counter = random.nextLong();
                byte[] sealed = ChaChaPoly.seal(key, counter, buffers.randomBytes(size), null);
                for (int i : new int[] {0, size / 2, size - 1, size, size + 15}) {
                    if (i < 0) continue;
                    byte[] forged = sealed.clone();
                    forged[i] ^= (byte) (1 << random.nextInt(8));
                    buffers.assertRejected(openssl, alloc, sk, counter, forged);
                }
                buffers.assertRejected(openssl, alloc, sk, counter + 1, sealed);
                buffers.assertRejected(openssl, alloc, sk, counter ^ Long.MIN_VALUE, sealed);
                byte[] other = key.clone();
                other[31] ^= 0x80;
                buffers.assertRejected(openssl, alloc, new SessionKey(other), counter, sealed);
                if (size > 0) buffers.assertRejected(openssl, alloc, sk, counter, java.util.Arrays.copyOf(sealed, sealed.length - 1));
                buffers.assertRejected(openssl, alloc, sk, counter, new byte[15]);
                // And the genuine one still opens after all that.
                ByteBuffer ok = buffers.packet(alloc, sealed);
                assertTrue(openssl.open(sk, counter, ok));
            }
        }
    }

    @Test
    void forcedJdkNeverProbesOpenSsl() {
        AtomicBoolean probed = new AtomicBoolean();
        PacketAead.Selection s = PacketAead.select("jdk", () -> {
            probed.set(true);
            return null;
        });
        assertEquals("jdk", s.backend());
        assertTrue(s.reason().contains("jwg.aead=jdk"), s.reason());
        assertFalse(probed.get());
    }

    @Test
    void fallsBackToJdkWhenOpenSslIsMissing() {
        PacketAead.Selection forced = PacketAead.select("openssl", () -> "libcrypto.so.3: not found");
        assertEquals("jdk", forced.backend());
        assertTrue(forced.reason().contains("jwg.aead=openssl") && forced.reason().contains("not found"), forced.reason());
        PacketAead.Selection auto = PacketAead.select(null, () -> "no symbol");
        assertEquals("jdk", auto.backend());
        assertTrue(auto.reason().contains("no symbol"), auto.reason());
        assertEquals("openssl", PacketAead.select(null, () -> null).backend());
        assertEquals("openssl", PacketAead.select("OpenSSL", () -> null).backend());
        PacketAead.Selection odd = PacketAead.select("bogus", () -> null);
        assertEquals("openssl", odd.backend());
        assertTrue(odd.reason().contains("bogus"), odd.reason());
    }

    @Test
    void closedInstanceRefusesWorkAndWipedKeysAreRefused() {
        PacketAead aead = new PacketAead("openssl");
        SessionKey sk = new SessionKey(buffers.randomBytes(32));
        ByteBuffer b = buffers.packet(DIRECT, buffers.randomBytes(10));
        aead.seal(sk, 1, b);
        aead.close();
        aead.close(); // idempotent
        assertThrows(IllegalStateException.class, () -> aead.open(sk, 1, b));
        sk.wipe();
        ByteBuffer c = buffers.packet(DIRECT, buffers.randomBytes(10));
        assertThrows(IllegalStateException.class, () -> openssl.seal(sk, 0, c));
        assertEquals(HEAD + 10, c.limit());
    }

    @Test
    void readOnlyDirectBuffersAreRefused() {
        ByteBuffer b = buffers.packet(DIRECT, buffers.randomBytes(10)).asReadOnlyBuffer();
        assertThrows(java.nio.ReadOnlyBufferException.class, () -> openssl.seal(new SessionKey(buffers.randomBytes(32)), 0, b));
    }

    @Test
    void largePacketsGrowTheHeapScratch() throws Exception {
        byte[] key = buffers.randomBytes(32);
        byte[] plaintext = buffers.randomBytes(65535 - 32);
        ByteBuffer b = buffers.packet(HEAP, plaintext);
        openssl.seal(new SessionKey(key), 2, b);
        assertArrayEquals(ChaChaPoly.seal(key, 2, plaintext, null), contents(b, HEAD, b.limit()));
        assertTrue(openssl.open(new SessionKey(key), 2, b));
        assertArrayEquals(plaintext, contents(b, HEAD, b.limit()));
    }
}
