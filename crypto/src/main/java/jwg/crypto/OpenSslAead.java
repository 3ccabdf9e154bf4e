package jwg.crypto;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.lang.ref.Cleaner;
import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.ReadOnlyBufferException;
import java.util.Arrays;

/**
 * PacketAead's engine on OpenSSL 3's libcrypto (libcrypto.so.3) through the FFM API: one
 * EVP_CIPHER_CTX per instance, EVP_chacha20_poly1305, re-initialised with key and nonce for every
 * message. Not thread-safe.
 *
 * <p>Native calls take every pointer as a plain 64-bit address (x86-64 and AArch64 pass pointers
 * and longs alike) and are linked "critical" (no thread-state transition; none of these functions
 * blocks or calls back). So a direct buffer costs no allocation: its address comes from
 * MemorySegment.ofBuffer, which C2's escape analysis removes (JMH -prof gc shows 0 B/op), and
 * Reference.reachabilityFence keeps the buffer alive across the call. Heap buffers are copied
 * through one native scratch segment per instance.
 *
 * <p>Open: OpenSSL decrypts during Update and checks the tag only in Final, so a forgery's would-be
 * plaintext is briefly in the buffer. When Final rejects the tag, the keystream is applied once
 * more (ChaCha20 is an XOR), which puts the ciphertext back: callers see the buffer as it was, as
 * with SunJCE, at the price of a second pass over a forgery. Heap buffers are decrypted in the
 * scratch and copied back only after the tag has been verified.
 *
 * <p>Keys: the 32 key bytes are copied into native memory for the init and zeroed right after it.
 * The ctx keeps its key schedule until the next init (the next packet), as a JDK Cipher does; close()
 * (or the Cleaner, when the PacketAead becomes unreachable) resets and frees the ctx, which OpenSSL
 * cleanses, and frees the native memory.
 */
final class OpenSslAead implements PacketAead.Engine {
    static final String LIBRARY = "libcrypto.so.3";
    private static final int TAG_LEN = 16;
    private static final int EVP_CTRL_AEAD_GET_TAG = 0x10;
    private static final int EVP_CTRL_AEAD_SET_TAG = 0x11;

    private static final String[] SYMBOLS = {
        "EVP_CIPHER_CTX_new", "EVP_CIPHER_CTX_free", "EVP_CIPHER_CTX_reset", "EVP_CIPHER_CTX_ctrl",
        "EVP_chacha20_poly1305", "EVP_EncryptInit_ex", "EVP_DecryptInit_ex", "EVP_EncryptUpdate",
        "EVP_DecryptUpdate", "EVP_EncryptFinal_ex", "EVP_DecryptFinal_ex", "ERR_clear_error",
    };

    private static final MethodHandle CTX_NEW, CTX_FREE, CTX_RESET, CTX_CTRL, CHACHA20_POLY1305,
            ENCRYPT_INIT, DECRYPT_INIT, ENCRYPT_UPDATE, DECRYPT_UPDATE, ENCRYPT_FINAL, DECRYPT_FINAL,
            ERR_CLEAR;
    private static final Cleaner CLEANER = Cleaner.create();

    private static final java.lang.foreign.ValueLayout.OfLong JAVA_LONG_LE =
            JAVA_LONG.withOrder(ByteOrder.LITTLE_ENDIAN).withByteAlignment(1);

    /** Null when this backend works; otherwise why not, for a log line. */
    private static final String PROBLEM;

    static {
        MethodHandle[] h = new MethodHandle[SYMBOLS.length];
        String problem;
        try {
            SymbolLookup lib = SymbolLookup.libraryLookup(LIBRARY, Arena.global());
            Linker linker = Linker.nativeLinker();
            Linker.Option critical = Linker.Option.critical(false);
            FunctionDescriptor[] d = {
                FunctionDescriptor.of(JAVA_LONG),                                           // CTX_new
                FunctionDescriptor.ofVoid(JAVA_LONG),                                       // CTX_free
                FunctionDescriptor.of(JAVA_INT, JAVA_LONG),                                 // CTX_reset
                FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_LONG),  // ctrl
                FunctionDescriptor.of(JAVA_LONG),                                           // cipher
                FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG), // init
                FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG),
                FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_INT), // update
                FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_INT),
                FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_LONG),            // final
                FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_LONG),
                FunctionDescriptor.ofVoid(),                                                // ERR_clear_error
            };
            for (int i = 0; i < SYMBOLS.length; i++) {
                MemorySegment symbol = lib.find(SYMBOLS[i])
                        .orElseThrow(() -> new UnsatisfiedLinkError("symbol not found"));
                // The ctx's first init fetches the cipher (locks, allocation): not critical.
                boolean perPacket = i >= 5 || i == 3;
                h[i] = perPacket ? linker.downcallHandle(symbol, d[i], critical) : linker.downcallHandle(symbol, d[i]);
            }
            problem = null;
        } catch (Throwable e) {
            problem = LIBRARY + ": " + e;
        }
        CTX_NEW = h[0]; CTX_FREE = h[1]; CTX_RESET = h[2]; CTX_CTRL = h[3]; CHACHA20_POLY1305 = h[4];
        ENCRYPT_INIT = h[5]; DECRYPT_INIT = h[6]; ENCRYPT_UPDATE = h[7]; DECRYPT_UPDATE = h[8];
        ENCRYPT_FINAL = h[9]; DECRYPT_FINAL = h[10]; ERR_CLEAR = h[11];
        if (problem == null) problem = selfTest();
        PROBLEM = problem;
    }

    /** Null if libcrypto is there, binds, and passes RFC 8439 2.8.2; otherwise the reason. */
    static String unavailableReason() { return PROBLEM; }

    /** What the Cleaner frees; holds no reference to the OpenSslAead. */
    private record Resources(long ctx, Arena arena) implements Runnable {
        @Override public void run() {
            try {
                if (ctx != 0) {
                    int unused = (int) CTX_RESET.invokeExact(ctx);
                    CTX_FREE.invokeExact(ctx);
                }
            } catch (Throwable e) {
                throw new IllegalStateException(e);
            } finally {
                arena.close();
            }
        }
    }

    // The fixed native block: key 32 @0, nonce 12 @32, outl (int) @48.
    private static final long KEY = 0, NONCE = 32, OUTL = 48, FIXED = 64;

    private final long ctx;
    private final MemorySegment fixed;
    private final long fixedAddress;
    private final Arena arena;
    private final Cleaner.Cleanable cleanable;
    private MemorySegment scratch;
    private long scratchAddress;
    private boolean closed;

    OpenSslAead() {
        if (CTX_NEW == null) throw new IllegalStateException("OpenSSL unavailable: " + PROBLEM);
        Arena a = Arena.ofShared();
        long c = 0;
        try {
            c = (long) CTX_NEW.invokeExact();
            if (c == 0) throw new OutOfMemoryError("EVP_CIPHER_CTX_new");
            long cipher = (long) CHACHA20_POLY1305.invokeExact();
            // Binds the cipher once (OpenSSL fetches the provider implementation here); every
            // message re-inits with a null cipher, which keeps it and its provider context.
            if ((int) ENCRYPT_INIT.invokeExact(c, cipher, 0L, 0L, 0L) <= 0) throw new IllegalStateException("EVP_EncryptInit_ex");
        } catch (Throwable e) {
            new Resources(c, a).run();
            if (e instanceof RuntimeException r) throw r;
            if (e instanceof Error r) throw r;
            throw new IllegalStateException(e);
        }
        ctx = c;
        arena = a;
        fixed = a.allocate(FIXED, 16);
        fixedAddress = fixed.address();
        scratch = a.allocate(2048, 16);
        scratchAddress = scratch.address();
        cleanable = CLEANER.register(this, new Resources(c, a));
    }

    @Override public void close() {
        if (closed) return;
        closed = true;
        cleanable.clean();
    }

    @Override public String name() { return "openssl"; }

    // ---- PacketAead's datapath: WireGuard nonce, no AAD; bounds already checked by PacketAead.

    @Override public void seal(SessionKey key, long counter, ByteBuffer buffer, int pos, int len) {
        checkOpen();
        counterNonce(counter);
        if (buffer.isDirect()) {
            if (buffer.isReadOnly()) throw new ReadOnlyBufferException();
            long at = address(buffer) + pos;
            crypt(true, key.key, at, len, at + len);
        } else {
            ensureScratch(len + TAG_LEN);
            MemorySegment.copy(buffer.array(), buffer.arrayOffset() + pos, scratch, JAVA_BYTE, 0, len);
            crypt(true, key.key, scratchAddress, len, scratchAddress + len);
            MemorySegment.copy(scratch, JAVA_BYTE, 0, buffer.array(), buffer.arrayOffset() + pos, len + TAG_LEN);
        }
        Reference.reachabilityFence(buffer);
        Reference.reachabilityFence(this);
    }

    @Override public boolean open(SessionKey key, long counter, ByteBuffer buffer, int pos, int len) {
        checkOpen();
        counterNonce(counter);
        int textLen = len - TAG_LEN;
        boolean ok;
        if (buffer.isDirect()) {
            if (buffer.isReadOnly()) throw new ReadOnlyBufferException();
            long at = address(buffer) + pos;
            ok = crypt(false, key.key, at, textLen, at + textLen);
            if (!ok) restore(key.key, at, textLen);
        } else {
            ensureScratch(len);
            MemorySegment.copy(buffer.array(), buffer.arrayOffset() + pos, scratch, JAVA_BYTE, 0, len);
            ok = crypt(false, key.key, scratchAddress, textLen, scratchAddress + textLen);
            if (ok) MemorySegment.copy(scratch, JAVA_BYTE, 0, buffer.array(), buffer.arrayOffset() + pos, textLen);
        }
        Reference.reachabilityFence(buffer);
        Reference.reachabilityFence(this);
        return ok;
    }

    /** The native address of buffer index 0; ofBuffer's segment does not escape, so C2 removes it. */
    private static long address(ByteBuffer buffer) {
        return MemorySegment.ofBuffer(buffer).address() - buffer.position();
    }

    private void counterNonce(long counter) {
        fixed.set(JAVA_INT, NONCE, 0);
        fixed.set(JAVA_LONG_LE, NONCE + 4, counter);
    }

    /**
     * One message with the nonce at fixed+NONCE: encrypts or decrypts [data, data + len) in place;
     * the tag is written to (encrypt) or read from (decrypt) tag. Decrypt returns false on a bad tag.
     */
    private boolean crypt(boolean encrypt, ChaChaKey key, long data, int len, long tag) {
        return crypt(encrypt, key, 0, 0, data, len, tag);
    }

    private boolean crypt(boolean encrypt, ChaChaKey key, long aad, int aadLen, long data, int len, long tag) {
        try {
            long outl = fixedAddress + OUTL;
            init(encrypt, key);
            if (encrypt) {
                if (aadLen > 0) check((int) ENCRYPT_UPDATE.invokeExact(ctx, 0L, outl, aad, aadLen), "EVP_EncryptUpdate");
                if (len > 0) check((int) ENCRYPT_UPDATE.invokeExact(ctx, data, outl, data, len), "EVP_EncryptUpdate");
                check((int) ENCRYPT_FINAL.invokeExact(ctx, data + len, outl), "EVP_EncryptFinal_ex");
                check((int) CTX_CTRL.invokeExact(ctx, EVP_CTRL_AEAD_GET_TAG, TAG_LEN, tag), "EVP_CTRL_AEAD_GET_TAG");
                return true;
            }
            check((int) CTX_CTRL.invokeExact(ctx, EVP_CTRL_AEAD_SET_TAG, TAG_LEN, tag), "EVP_CTRL_AEAD_SET_TAG");
            if (aadLen > 0) check((int) DECRYPT_UPDATE.invokeExact(ctx, 0L, outl, aad, aadLen), "EVP_DecryptUpdate");
            if (len > 0) check((int) DECRYPT_UPDATE.invokeExact(ctx, data, outl, data, len), "EVP_DecryptUpdate");
            // ChaCha20-Poly1305 is a stream cipher: Update has written all len bytes, Final none.
            if ((int) DECRYPT_FINAL.invokeExact(ctx, data + len, outl) > 0) return true;
            ERR_CLEAR.invokeExact();
            return false;
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    /** Key into native memory, init, key wiped: the ctx has its own copy (its key schedule). */
    private void init(boolean encrypt, ChaChaKey key) throws Throwable {
        key.copyTo(fixed, KEY);
        try {
            long k = fixedAddress + KEY, n = fixedAddress + NONCE;
            int r = encrypt ? (int) ENCRYPT_INIT.invokeExact(ctx, 0L, 0L, k, n) : (int) DECRYPT_INIT.invokeExact(ctx, 0L, 0L, k, n);
            check(r, "EVP_CipherInit_ex");
        } finally {
            fixed.asSlice(KEY, ChaChaKey.LEN).fill((byte) 0);
        }
    }

    /** After a rejected open: the same keystream XORed again turns the would-be plaintext back into ciphertext. */
    private void restore(ChaChaKey key, long data, int len) {
        if (len == 0) return;
        try {
            init(true, key);
            check((int) ENCRYPT_UPDATE.invokeExact(ctx, data, fixedAddress + OUTL, data, len), "EVP_EncryptUpdate");
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    private static void check(int result, String what) {
        if (result <= 0) throw new IllegalStateException(what + " failed");
    }

    private void checkOpen() {
        if (closed) throw new IllegalStateException("PacketAead has been closed");
    }

    private void ensureScratch(int len) {
        if (scratch.byteSize() < len) {
            scratch = arena.allocate(Math.max(len, 2 * scratch.byteSize()), 16);
            scratchAddress = scratch.address();
        }
    }

    // ---- Whole messages with any nonce and AAD: the self-test and the RFC vectors in tests.

    /** ciphertext || tag, or throws. */
    byte[] seal(byte[] key32, byte[] nonce12, byte[] aad, byte[] plaintext) {
        return raw(true, key32, nonce12, aad, plaintext);
    }

    /** The plaintext, or null if the tag does not verify. */
    byte[] open(byte[] key32, byte[] nonce12, byte[] aad, byte[] sealed) {
        if (sealed.length < TAG_LEN) return null;
        return raw(false, key32, nonce12, aad, sealed);
    }

    private byte[] raw(boolean encrypt, byte[] key32, byte[] nonce12, byte[] aad, byte[] in) {
        checkOpen();
        if (nonce12.length != 12) throw new IllegalArgumentException("nonce must be 12 bytes");
        if (aad == null) aad = new byte[0];
        int textLen = encrypt ? in.length : in.length - TAG_LEN;
        ensureScratch(aad.length + in.length + TAG_LEN);
        MemorySegment.copy(nonce12, 0, fixed, JAVA_BYTE, NONCE, 12);
        MemorySegment.copy(aad, 0, scratch, JAVA_BYTE, 0, aad.length);
        MemorySegment.copy(in, 0, scratch, JAVA_BYTE, aad.length, in.length);
        long data = scratchAddress + aad.length;
        ChaChaKey key = new ChaChaKey(key32.clone());
        try {
            boolean ok = crypt(encrypt, key, scratchAddress, aad.length, data, textLen, data + textLen);
            if (!ok) return null;
            byte[] out = new byte[encrypt ? textLen + TAG_LEN : textLen];
            MemorySegment.copy(scratch, JAVA_BYTE, aad.length, out, 0, out.length);
            return out;
        } finally {
            key.destroy();
            scratch.fill((byte) 0);
            Reference.reachabilityFence(this);
        }
    }

    private static String selfTest() {
        // RFC 8439 section 2.8.2.
        byte[] key = new byte[32];
        for (int i = 0; i < 32; i++) key[i] = (byte) (0x80 + i);
        byte[] nonce = {7, 0, 0, 0, 0x40, 0x41, 0x42, 0x43, 0x44, 0x45, 0x46, 0x47};
        byte[] aad = {0x50, 0x51, 0x52, 0x53, (byte) 0xc0, (byte) 0xc1, (byte) 0xc2, (byte) 0xc3,
            (byte) 0xc4, (byte) 0xc5, (byte) 0xc6, (byte) 0xc7};
        byte[] text = ("Ladies and Gentlemen of the class of '99: If I could offer you only one tip "
                + "for the future, sunscreen would be it.").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        byte[] expected = java.util.HexFormat.of().parseHex(
                "d31a8d34648e60db7b86afbc53ef7ec2a4aded51296e08fea9e2b5a736ee62d63dbea45e8ca9671282fafb69da92728b"
                + "1a71de0a9e060b2905d6a5b67ecd3b3692ddbd7f2d778b8c9803aee328091b58fab324e4fad675945585808b4831d7bc"
                + "3ff4def08e4b7a9de576d26586cec64b6116" + "1ae10b594f09e26a7e902ecbd0600691");
        OpenSslAead aead = null;
        try {
            aead = new OpenSslAead();
            if (!Arrays.equals(expected, aead.seal(key, nonce, aad, text))) return "self-test: RFC 8439 2.8.2 seal mismatch";
            if (!Arrays.equals(text, aead.open(key, nonce, aad, expected))) return "self-test: RFC 8439 2.8.2 open mismatch";
            expected[expected.length - 1] ^= 1;
            if (aead.open(key, nonce, aad, expected) != null) return "self-test: a forged tag was accepted";
            return null;
        } catch (Throwable e) {
            return "self-test: " + e;
        } finally {
            if (aead != null) aead.close();
        }
    }
}
