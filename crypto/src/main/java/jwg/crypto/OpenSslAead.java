package jwg.crypto;

import static java.lang.foreign.ValueLayout.ADDRESS;
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
 * PacketAead's engine on OpenSSL 3's libcrypto (libcrypto.so.3) through the FFM API: two
 * EVP_CIPHER_CTXs per instance, EVP_chacha20_poly1305, one bound to encryption and one to
 * decryption. Not thread-safe.
 *
 * <p>Native calls take every pointer as a plain 64-bit address (x86-64 and AArch64 pass pointers
 * and longs alike) and are linked "critical" (no thread-state transition; none of these functions
 * blocks or calls back). So a direct buffer costs no allocation: its address comes from
 * MemorySegment.ofBuffer, which C2's escape analysis removes (JMH -prof gc shows 0 B/op), and
 * Reference.reachabilityFence keeps the buffer alive across the call. Heap buffers are copied
 * through one native scratch segment per instance.
 *
 * <p>A message is three native calls to open and four to seal, none of them an init:
 * EVP_CIPHER_CTX_set_params (the nonce, and for open the expected tag), Update, Final, and for
 * seal EVP_CIPHER_CTX_get_params (the tag). The OSSL_PARAM arrays are built once in native memory;
 * only a tag address changes per call. Why not an init per message, as OpenSSL's examples do: in
 * OpenSSL 3.0 EVP_*Init_ex asks the provider for the key and IV lengths (EVP_CIPHER_CTX_get_key_length,
 * _get_iv_length: each an OSSL_PARAM round trip with a string search), and EVP_CIPHER_CTX_ctrl
 * builds OSSL_PARAMs for the tag on every call. Dropping that saved 0.3-0.7 us per message in
 * JMH (PacketAeadBench), more than the cipher itself costs at 64 bytes.
 *
 * <p>The nonce goes in as OSSL_CIPHER_PARAM_AEAD_TLS1_IV_FIXED ("tlsivfixed"). For ChaCha20-Poly1305
 * the "fixed" IV is the whole 96-bit nonce: the provider stores it as the ChaCha20 block's nonce
 * words at once, and since Final has ended the previous message (it resets the MAC state), the
 * next Update starts a new one at block counter 0 (the Poly1305 key) with that nonce. This is
 * the provider's behaviour rather than a documented promise, so the class-init self-test checks
 * it on the library actually loaded: one key, several counters in a row, each message against
 * SunJCE; any difference means the JDK backend is used. Should a message fail half-way (a native
 * call returns an error) the MAC state could be left open, so both contexts then forget their key
 * and the next message re-initialises with the key, which resets that state.
 *
 * <p>Keys: a context is re-initialised only when the key differs from the one it was last given
 * (the same ChaChaKey object: a SessionKey's wraps a private copy that only wipe() changes, and a
 * wiped key is refused before anything else). For that init the 32 bytes are copied into native
 * memory and zeroed right after it. Each context keeps its key between messages (as any context
 * keeps the key of its last init), so an instance holds at most two keys: the last one it sealed
 * with and the last one it opened with. close() (or the Cleaner, when the PacketAead becomes
 * unreachable) resets and frees both contexts, which OpenSSL cleanses (OPENSSL_clear_free of the
 * provider context), and frees the native memory.
 *
 * <p>Open: OpenSSL decrypts during Update and checks the tag only in Final, so a forgery's would-be
 * plaintext is briefly in the buffer. When Final rejects the tag, the keystream is applied once
 * more (ChaCha20 is an XOR), which puts the ciphertext back: callers see the buffer as it was, as
 * with SunJCE, at the price of a second pass over a forgery. Heap buffers are decrypted in the
 * scratch and copied back only after the tag has been verified.
 */
final class OpenSslAead implements PacketAead.Engine {
    static final String LIBRARY = "libcrypto.so.3";
    private static final int TAG_LEN = 16;

    private static final String[] SYMBOLS = {
        "EVP_CIPHER_CTX_new", "EVP_CIPHER_CTX_free", "EVP_CIPHER_CTX_reset", "EVP_chacha20_poly1305",
        "EVP_EncryptInit_ex", "EVP_DecryptInit_ex", "EVP_CIPHER_CTX_set_params", "EVP_CIPHER_CTX_get_params",
        "EVP_EncryptUpdate", "EVP_DecryptUpdate", "EVP_EncryptFinal_ex", "EVP_DecryptFinal_ex", "ERR_clear_error",
    };
    /** SYMBOLS from this index on are called per message (or per key change): linked critical. */
    private static final int FIRST_CRITICAL = 4;

    private static final MethodHandle CTX_NEW, CTX_FREE, CTX_RESET, CHACHA20_POLY1305, ENCRYPT_INIT,
            DECRYPT_INIT, SET_PARAMS, GET_PARAMS, ENCRYPT_UPDATE, DECRYPT_UPDATE, ENCRYPT_FINAL,
            DECRYPT_FINAL, ERR_CLEAR;
    private static final Cleaner CLEANER = Cleaner.create();

    private static final java.lang.foreign.ValueLayout.OfLong JAVA_LONG_LE =
            JAVA_LONG.withOrder(ByteOrder.LITTLE_ENDIAN).withByteAlignment(1);

    /** Null when this backend works; otherwise why not, for a log line. */
    private static final String PROBLEM;

    // OSSL_PARAM entries (OsslParam: the struct's layout and offsets). Above the static block,
    // whose self-test makes a context: static fields are set in the order they are written.
    private static final long PARAM = OsslParam.SIZE, P_KEY = OsslParam.KEY, P_TYPE = OsslParam.DATA_TYPE,
            P_DATA = OsslParam.DATA, P_SIZE = OsslParam.DATA_SIZE, P_RETURN = OsslParam.RETURN_SIZE;

    // The fixed native block: key 32 @0 (only during an init), nonce 12 @32, outl (int) @48, the
    // parameter names as C strings, then three OSSL_PARAM arrays, each ended by an all-zero entry.
    private static final long KEY = 0, NONCE = 32, OUTL = 48;
    private static final long NAME_TAG = 56;  // OSSL_CIPHER_PARAM_AEAD_TAG, "tag"
    private static final long NAME_IV = 64;   // OSSL_CIPHER_PARAM_AEAD_TLS1_IV_FIXED, "tlsivfixed"
    private static final long SET_IV = 80;                      // {nonce}: seal
    private static final long SET_IV_TAG = SET_IV + 2 * PARAM;  // {nonce, tag}: open
    private static final long GET_TAG = SET_IV_TAG + 3 * PARAM; // {tag}: after seal's Final
    private static final long FIXED = GET_TAG + 2 * PARAM;
    /** Where the per-call tag address goes. */
    private static final long OPEN_TAG_DATA = SET_IV_TAG + PARAM + P_DATA, SEAL_TAG_DATA = GET_TAG + P_DATA;

    static {
        MethodHandle[] h = new MethodHandle[SYMBOLS.length];
        String problem;
        try {
            // Pointers travel as longs and OSSL_PARAM is laid out for LP64 (below): 64-bit only.
            if (ADDRESS.byteSize() != 8) throw new UnsupportedOperationException("needs a 64-bit platform");
            SymbolLookup lib = SymbolLookup.libraryLookup(LIBRARY, Arena.global());
            Linker linker = Linker.nativeLinker();
            Linker.Option critical = Linker.Option.critical(false);
            FunctionDescriptor init = FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG);
            FunctionDescriptor params = FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_LONG);
            FunctionDescriptor update = FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_INT);
            FunctionDescriptor fin = FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_LONG);
            FunctionDescriptor[] d = {
                FunctionDescriptor.of(JAVA_LONG),           // EVP_CIPHER_CTX_new
                FunctionDescriptor.ofVoid(JAVA_LONG),       // EVP_CIPHER_CTX_free
                FunctionDescriptor.of(JAVA_INT, JAVA_LONG), // EVP_CIPHER_CTX_reset
                FunctionDescriptor.of(JAVA_LONG),           // EVP_chacha20_poly1305
                init, init, params, params, update, update, fin, fin,
                FunctionDescriptor.ofVoid(),                // ERR_clear_error
            };
            for (int i = 0; i < SYMBOLS.length; i++) {
                // A missing symbol (an older or odd libcrypto) ends up as PROBLEM: the JDK backend.
                String name = SYMBOLS[i];
                MemorySegment symbol = lib.find(name).orElseThrow(() -> new UnsatisfiedLinkError(name + " not found"));
                h[i] = i >= FIRST_CRITICAL ? linker.downcallHandle(symbol, d[i], critical) : linker.downcallHandle(symbol, d[i]);
            }
            problem = null;
        } catch (Throwable e) {
            problem = LIBRARY + ": " + e;
        }
        CTX_NEW = h[0]; CTX_FREE = h[1]; CTX_RESET = h[2]; CHACHA20_POLY1305 = h[3];
        ENCRYPT_INIT = h[4]; DECRYPT_INIT = h[5]; SET_PARAMS = h[6]; GET_PARAMS = h[7];
        ENCRYPT_UPDATE = h[8]; DECRYPT_UPDATE = h[9]; ENCRYPT_FINAL = h[10]; DECRYPT_FINAL = h[11];
        ERR_CLEAR = h[12];
        if (problem == null) problem = selfTest();
        PROBLEM = problem;
    }

    /** Null if libcrypto is there, binds, and passes the self-test (RFC 8439 2.8.2 and more); otherwise the reason. */
    static String unavailableReason() { return PROBLEM; }

    /** What the Cleaner frees; holds no reference to the OpenSslAead. */
    private record Resources(long encrypt, long decrypt, Arena arena) implements Runnable {
        @Override public void run() {
            try {
                free(encrypt);
                free(decrypt);
            } catch (Throwable e) {
                throw new IllegalStateException(e);
            } finally {
                arena.close();
            }
        }

        /** EVP_CIPHER_CTX_reset frees the provider context with OPENSSL_clear_free: the key goes with it. */
        private static void free(long ctx) throws Throwable {
            if (ctx == 0) return;
            int unused = (int) CTX_RESET.invokeExact(ctx);
            CTX_FREE.invokeExact(ctx);
        }
    }


    private final long encryptCtx, decryptCtx;
    private final MemorySegment fixed;
    private final long fixedAddress;
    private final Arena arena;
    private final Cleaner.Cleanable cleanable;
    /** The key each context holds, or null when it must be (re)initialised with one. */
    private ChaChaKey encryptKey, decryptKey;
    private MemorySegment scratch;
    private long scratchAddress;
    private boolean closed;

    OpenSslAead() {
        // PROBLEM reads null while the class-init self-test runs, and ERR_CLEAR is bound last.
        if (ERR_CLEAR == null || PROBLEM != null) throw new IllegalStateException("OpenSSL unavailable: " + PROBLEM);
        Arena a = Arena.ofShared();
        long e = 0, d = 0;
        try {
            long cipher = (long) CHACHA20_POLY1305.invokeExact();
            e = newContext(cipher, true);
            d = newContext(cipher, false);
        } catch (Throwable t) {
            new Resources(e, d, a).run();
            if (t instanceof RuntimeException r) throw r;
            if (t instanceof Error r) throw r;
            throw new IllegalStateException(t);
        }
        encryptCtx = e;
        decryptCtx = d;
        arena = a;
        fixed = a.allocate(FIXED, 16);
        fixedAddress = fixed.address();
        fixed.setString(NAME_TAG, "tag");
        fixed.setString(NAME_IV, "tlsivfixed");
        octetString(SET_IV, NAME_IV, fixedAddress + NONCE, 12);
        octetString(SET_IV_TAG, NAME_IV, fixedAddress + NONCE, 12);
        octetString(SET_IV_TAG + PARAM, NAME_TAG, 0, TAG_LEN);
        octetString(GET_TAG, NAME_TAG, 0, TAG_LEN);
        scratch = a.allocate(2048, 16);
        scratchAddress = scratch.address();
        cleanable = CLEANER.register(this, new Resources(e, d, a));
    }

    /**
     * A context bound to the cipher (OpenSSL fetches the provider implementation here, once) and to
     * one direction; key and nonce come later. Not on the per-message path.
     */
    private static long newContext(long cipher, boolean encrypt) throws Throwable {
        long c = (long) CTX_NEW.invokeExact();
        if (c == 0) throw new OutOfMemoryError("EVP_CIPHER_CTX_new");
        int r = encrypt ? (int) ENCRYPT_INIT.invokeExact(c, cipher, 0L, 0L, 0L) : (int) DECRYPT_INIT.invokeExact(c, cipher, 0L, 0L, 0L);
        if (r <= 0) {
            Resources.free(c);
            throw new IllegalStateException("EVP_CipherInit_ex");
        }
        return c;
    }

    /** One OSSL_PARAM octet-string entry at fixed+at; the allocation's zeros are the terminator after it. */
    private void octetString(long at, long name, long data, long size) {
        fixed.set(JAVA_LONG, at + P_KEY, fixedAddress + name);
        fixed.set(JAVA_INT, at + P_TYPE, OsslParam.OCTET_STRING);
        fixed.set(JAVA_LONG, at + P_DATA, data);
        fixed.set(JAVA_LONG, at + P_SIZE, size);
        fixed.set(JAVA_LONG, at + P_RETURN, OsslParam.UNMODIFIED);
    }

    @Override public void close() {
        if (closed) return;
        closed = true;
        encryptKey = decryptKey = null;
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
            if (!ok) restore(at, textLen);
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
        boolean ended = false;
        try {
            long outl = fixedAddress + OUTL;
            if (encrypt) {
                long c = keyed(true, key);
                check((int) SET_PARAMS.invokeExact(c, fixedAddress + SET_IV), "EVP_CIPHER_CTX_set_params");
                if (aadLen > 0) check((int) ENCRYPT_UPDATE.invokeExact(c, 0L, outl, aad, aadLen), "EVP_EncryptUpdate");
                if (len > 0) check((int) ENCRYPT_UPDATE.invokeExact(c, data, outl, data, len), "EVP_EncryptUpdate");
                check((int) ENCRYPT_FINAL.invokeExact(c, data + len, outl), "EVP_EncryptFinal_ex");
                ended = true;
                fixed.set(JAVA_LONG, SEAL_TAG_DATA, tag);
                check((int) GET_PARAMS.invokeExact(c, fixedAddress + GET_TAG), "EVP_CIPHER_CTX_get_params");
                return true;
            }
            long c = keyed(false, key);
            fixed.set(JAVA_LONG, OPEN_TAG_DATA, tag);
            check((int) SET_PARAMS.invokeExact(c, fixedAddress + SET_IV_TAG), "EVP_CIPHER_CTX_set_params");
            if (aadLen > 0) check((int) DECRYPT_UPDATE.invokeExact(c, 0L, outl, aad, aadLen), "EVP_DecryptUpdate");
            if (len > 0) check((int) DECRYPT_UPDATE.invokeExact(c, data, outl, data, len), "EVP_DecryptUpdate");
            // ChaCha20-Poly1305 is a stream cipher: Update has written all len bytes, Final none.
            // Final ends the message whether or not the tag matches.
            int verified = (int) DECRYPT_FINAL.invokeExact(c, data + len, outl);
            ended = true;
            if (verified > 0) return true;
            ERR_CLEAR.invokeExact();
            return false;
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        } finally {
            if (!ended) forgetKeys();
        }
    }

    /**
     * The context for the direction, holding key: initialised with it only when it is not the key
     * that context last had. Refuses a wiped key even when the context still holds it.
     */
    private long keyed(boolean encrypt, ChaChaKey key) throws Throwable {
        if (key.isDestroyed()) throw new IllegalStateException("key has been wiped");
        if (key == (encrypt ? encryptKey : decryptKey)) return encrypt ? encryptCtx : decryptCtx;
        long c;
        if (encrypt) {
            encryptKey = null;
            c = encryptCtx;
        } else {
            decryptKey = null;
            c = decryptCtx;
        }
        key.copyTo(fixed, KEY);
        try {
            long k = fixedAddress + KEY;
            // No cipher (the context keeps its own) and no IV (set_params brings it).
            int r = encrypt ? (int) ENCRYPT_INIT.invokeExact(c, 0L, 0L, k, 0L) : (int) DECRYPT_INIT.invokeExact(c, 0L, 0L, k, 0L);
            check(r, "EVP_CipherInit_ex");
        } finally {
            fixed.asSlice(KEY, ChaChaKey.LEN).fill((byte) 0);
        }
        if (encrypt) encryptKey = key;
        else decryptKey = key;
        return c;
    }

    /** After a failed call: the next message re-inits both contexts with their key, which resets their MAC state. */
    private void forgetKeys() {
        encryptKey = decryptKey = null;
    }

    /**
     * After a rejected open, on the decryption context that still holds the key and the nonce at
     * fixed+NONCE: the same keystream XORed again turns the would-be plaintext back into
     * ciphertext. Final ends that pass (its verdict is meaningless and ignored).
     */
    private void restore(long data, int len) {
        if (len == 0) return;
        boolean ended = false;
        try {
            long outl = fixedAddress + OUTL;
            check((int) SET_PARAMS.invokeExact(decryptCtx, fixedAddress + SET_IV), "EVP_CIPHER_CTX_set_params");
            check((int) DECRYPT_UPDATE.invokeExact(decryptCtx, data, outl, data, len), "EVP_DecryptUpdate");
            int unused = (int) DECRYPT_FINAL.invokeExact(decryptCtx, data + len, outl);
            ended = true;
            ERR_CLEAR.invokeExact();
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        } finally {
            if (!ended) forgetKeys();
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
            return datapathSelfTest(aead, key, text);
        } catch (Throwable e) {
            return "self-test: " + e;
        } finally {
            if (aead != null) aead.close();
        }
    }

    /**
     * The datapath as it runs: one key kept in both contexts while the counter changes (the nonce
     * goes in through "tlsivfixed", see the class comment), a forgery in between, each message
     * checked against SunJCE. A nonce that did not take would repeat a keystream: caught here.
     */
    private static String datapathSelfTest(OpenSslAead aead, byte[] key, byte[] text) {
        SessionKey sk = new SessionKey(key);
        ByteBuffer b = ByteBuffer.allocateDirect(text.length + TAG_LEN);
        try {
            for (long counter : new long[] {1, 2, 1L << 32, 2}) {
                byte[] sealed = ChaChaPoly.seal(key, counter, text, null);
                b.clear().put(0, text);
                aead.seal(sk, counter, b, 0, text.length);
                byte[] got = new byte[sealed.length];
                b.get(0, got);
                if (!Arrays.equals(sealed, got)) return "self-test: datapath seal at counter " + counter + " differs from SunJCE";
                byte[] forged = sealed.clone();
                forged[3] ^= 4;
                b.put(0, forged);
                if (aead.open(sk, counter, b, 0, sealed.length)) return "self-test: the datapath accepted a forgery";
                b.get(0, got);
                if (!Arrays.equals(forged, got)) return "self-test: a datapath forgery was not restored";
                b.put(0, sealed);
                if (!aead.open(sk, counter, b, 0, sealed.length)) return "self-test: datapath open at counter " + counter + " failed";
                b.get(0, got, 0, text.length);
                if (!Arrays.equals(text, 0, text.length, got, 0, text.length)) return "self-test: datapath open at counter " + counter + " is wrong";
            }
            return null;
        } finally {
            sk.wipe();
        }
    }
}
