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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The OpenSSL backend on its own and against the JDK's; this machine has libcrypto.so.3, so it must be usable. */
class OpenSslAeadTest {
    private static final int HEAD = 16;
    private static final int SLACK = 7;

    private final Random random = new Random(8439);
    private final PacketAead openssl = new PacketAead("openssl");
    private final PacketAead jdk = new PacketAead("jdk");

    private static final IntFunction<ByteBuffer> DIRECT = ByteBuffer::allocateDirect;
    private static final IntFunction<ByteBuffer> HEAP = ByteBuffer::allocate;
    private static final IntFunction<ByteBuffer> HEAP_SLICE = n -> ByteBuffer.allocate(n + 5).position(5).slice();
    private static final IntFunction<ByteBuffer> DIRECT_SLICE = n -> ByteBuffer.allocateDirect(n + 3).position(3).slice();

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

    private static byte[] sunscreen() {
        return ChaChaPolyTest.SUNSCREEN;
    }

    /** RFC 8439 section 2.8.2, through the OpenSSL engine with its own nonce and AAD. */
    @Test
    void rfc8439Section2_8_2() {
        byte[] key = Hex.bytes("808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f");
        byte[] nonce = Hex.bytes("070000004041424344454647");
        byte[] aad = Hex.bytes("50515253c0c1c2c3c4c5c6c7");
        byte[] expected = Hex.bytes("""
                d31a8d34648e60db7b86afbc53ef7ec2a4aded51296e08fea9e2b5a736ee62d63dbea45e8ca9671282fafb69da92728b
                1a71de0a9e060b2905d6a5b67ecd3b3692ddbd7f2d778b8c9803aee328091b58fab324e4fad675945585808b4831d7bc
                3ff4def08e4b7a9de576d26586cec64b6116
                1ae10b594f09e26a7e902ecbd0600691""");
        OpenSslAead aead = new OpenSslAead();
        try {
            assertArrayEquals(expected, aead.seal(key, nonce, aad, sunscreen()));
            assertArrayEquals(sunscreen(), aead.open(key, nonce, aad, expected));
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

    private static final byte[] A5_KEY = Hex.bytes("1c9240a5eb55d38af333888604f6b5f0473917c1402b80099dca5cbc207075c0");
    private static final long A5_COUNTER = 0x0807060504030201L;
    private static final byte[] A5_CIPHERTEXT = Hex.bytes("""
            64a0861575861af460f062c79be643bd5e805cfd345cf389f108670ac76c8cb24c6cfc18755d43eea09ee94e382d26b0
            bdb7b73c321b0100d4f03b7f355894cf332f830e710b97ce98c8a84abd0b948114ad176e008d33bd60f982b1ff37c855
            9797a06ef4f0ef61c186324e2b3506383606907b6a7c02b0f9f6157b53c867e4b9166c767b804d46a59b5216cde7a4e9
            9040c5a40433225ee282a1b0a06c523eaf4534d7f83fa1155b0047718cbc546a0d072b04b3564eea1b422273f548271a
            0bb2316053fa76991955ebd63159434ecebb4e466dae5a1073a6727627097a1049e617d91d361094fa68f0ff77987130
            305beaba2eda04df997b714d6c6f2c29a6ad5cb4022b02709b
            eead9d67890cbb22392336fea1851f38""");
    private static final byte[] A5_PLAINTEXT = Hex.bytes("""
            496e7465726e65742d4472616674732061726520647261667420646f63756d656e74732076616c696420666f722061
            206d6178696d756d206f6620736978206d6f6e74687320616e64206d617920626520757064617465642c207265706c
            616365642c206f72206f62736f6c65746564206279206f7468657220646f63756d656e747320617420616e79207469
            6d652e20497420697320696e617070726f70726961746520746f2075736520496e7465726e65742d44726166747320
            6173207265666572656e6365206d6174657269616c206f7220746f2063697465207468656d206f7468657220746861
            6e206173202fe2809c776f726b20696e2070726f67726573732e2fe2809d""");

    /** RFC 8439 A.5, whose nonce is WireGuard's counter form, through the OpenSSL engine (it has AAD). */
    @Test
    void rfc8439AppendixA5() {
        byte[] nonce = Hex.bytes("000000000102030405060708");
        byte[] aad = Hex.bytes("f33388860000000000004e91");
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
            ByteBuffer b = packet(alloc, A5_PLAINTEXT);
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
                byte[] key = randomBytes(32);
                long counter = random.nextLong();
                byte[] plaintext = randomBytes(size);
                SessionKey sk = new SessionKey(key);
                for (boolean opensslSeals : new boolean[] {true, false}) {
                    PacketAead sealer = opensslSeals ? openssl : jdk;
                    PacketAead opener = opensslSeals ? jdk : openssl;
                    ByteBuffer a = packet(alloc, plaintext);
                    ByteBuffer b = packet(alloc, plaintext);
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
                byte[] key = randomBytes(32);
                SessionKey sk = new SessionKey(key);
                long counter = random.nextLong();
                byte[] sealed = ChaChaPoly.seal(key, counter, randomBytes(size), null);
                for (int i : new int[] {0, size / 2, size - 1, size, size + 15}) {
                    if (i < 0) continue;
                    byte[] forged = sealed.clone();
                    forged[i] ^= (byte) (1 << random.nextInt(8));
                    assertRejected(alloc, sk, counter, forged);
                }
                assertRejected(alloc, sk, counter + 1, sealed);
                assertRejected(alloc, sk, counter ^ Long.MIN_VALUE, sealed);
                byte[] other = key.clone();
                other[31] ^= 0x80;
                assertRejected(alloc, new SessionKey(other), counter, sealed);
                if (size > 0) assertRejected(alloc, sk, counter, java.util.Arrays.copyOf(sealed, sealed.length - 1));
                assertRejected(alloc, sk, counter, new byte[15]);
                // And the genuine one still opens after all that.
                ByteBuffer ok = packet(alloc, sealed);
                assertTrue(openssl.open(sk, counter, ok));
            }
        }
    }

    private void assertRejected(IntFunction<ByteBuffer> alloc, SessionKey key, long counter, byte[] wire) {
        ByteBuffer b = packet(alloc, wire);
        byte[] before = all(b);
        assertFalse(openssl.open(key, counter, b));
        assertEquals(HEAD, b.position());
        assertEquals(HEAD + wire.length, b.limit());
        assertArrayEquals(before, all(b), "OpenSslAead restores the ciphertext after a forgery");
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
        SessionKey sk = new SessionKey(randomBytes(32));
        ByteBuffer b = packet(DIRECT, randomBytes(10));
        aead.seal(sk, 1, b);
        aead.close();
        aead.close(); // idempotent
        assertThrows(IllegalStateException.class, () -> aead.open(sk, 1, b));
        sk.wipe();
        ByteBuffer c = packet(DIRECT, randomBytes(10));
        assertThrows(IllegalStateException.class, () -> openssl.seal(sk, 0, c));
        assertEquals(HEAD + 10, c.limit());
    }

    @Test
    void readOnlyDirectBuffersAreRefused() {
        ByteBuffer b = packet(DIRECT, randomBytes(10)).asReadOnlyBuffer();
        assertThrows(java.nio.ReadOnlyBufferException.class, () -> openssl.seal(new SessionKey(randomBytes(32)), 0, b));
    }

    @Test
    void largePacketsGrowTheHeapScratch() throws Exception {
        byte[] key = randomBytes(32);
        byte[] plaintext = randomBytes(65535 - 32);
        ByteBuffer b = packet(HEAP, plaintext);
        openssl.seal(new SessionKey(key), 2, b);
        assertArrayEquals(ChaChaPoly.seal(key, 2, plaintext, null), contents(b, HEAD, b.limit()));
        assertTrue(openssl.open(new SessionKey(key), 2, b));
        assertArrayEquals(plaintext, contents(b, HEAD, b.limit()));
    }

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
        b.duplicate().clear().get(from, out);
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
}
