package jwg.crypto;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Arrays;
import java.util.Random;
import org.bouncycastle.crypto.digests.Blake2sDigest;
import org.junit.jupiter.api.Test;

class Blake2sTest {
    /** RFC 7693 Appendix B. */
    @Test
    void rfc7693AppendixB() {
        assertArrayEquals(Hex.bytes("508c5e8c327c14e2e1a72ba34eeb452f37458b209ed63a294d999b4c86675982"),
                Blake2s.hash("abc".getBytes(US_ASCII)));
        assertArrayEquals(Blake2s.hash("abc".getBytes(US_ASCII)),
                Blake2s.hash("a".getBytes(US_ASCII), new byte[0], "bc".getBytes(US_ASCII)));
    }

    /**
     * RFC 7693 Appendix E self-test. The unkeyed 32-byte and keyed 16-byte cases (WireGuard's HASH
     * and MAC) go through Blake2s; the other lengths, which WireGuard never uses, through
     * BouncyCastle directly.
     */
    @Test
    void rfc7693AppendixESelfTest() {
        Blake2sDigest result = new Blake2sDigest();
        for (int outLen : new int[] {16, 20, 28, 32}) {
            for (int inLen : new int[] {0, 3, 64, 65, 255, 1024}) {
                byte[] in = selfTestSequence(inLen, inLen);
                byte[] unkeyed = outLen == 32 ? Blake2s.hash(in) : bouncyCastle(null, outLen, in);
                result.update(unkeyed, 0, unkeyed.length);
                byte[] key = selfTestSequence(outLen, outLen);
                byte[] keyed = outLen == 16 ? Blake2s.mac(key, in, 0, in.length) : bouncyCastle(key, outLen, in);
                result.update(keyed, 0, keyed.length);
            }
        }
        byte[] out = new byte[32];
        result.doFinal(out, 0);
        assertArrayEquals(Hex.bytes("6a411f08ce25adcdfb02aba641451cec53c598b24f4fc787fbdc88797f4c1dfe"), out);
    }

    /** RFC 7693 Appendix E, selftest_seq: a Fibonacci generator. */
    private static byte[] selfTestSequence(int len, int seed) {
        byte[] out = new byte[len];
        int a = 0xDEAD4BAD * seed;
        int b = 1;
        for (int i = 0; i < len; i++) {
            int t = a + b;
            a = b;
            b = t;
            out[i] = (byte) (t >>> 24);
        }
        return out;
    }

    /** The BLAKE2 reference KAT (blake2s-kat.txt, keyed, key = 00..1f): in = 00..(n-1). */
    @Test
    void blake2ReferenceKeyedKat() {
        byte[] key = Hex.sequence(32);
        String[][] kat = {
                {"0", "48a8997da407876b3d79c0d92325ad3b89cbb754d86ab71aee047ad345fd2c49"},
                {"1", "40d15fee7c328830166ac3f918650f807e7e01e177258cdc0a39b11f598066f1"},
                {"2", "6bb71300644cd3991b26ccd4d274acd1adeab8b1d7914546c1198bbe9fc9d803"},
                {"78", "172ffc67153d12e0ca76a8b6cd5d4731885b39ce0cac93a8972a18006c8b8baf"},
                {"164", "4f8ce1e51d2fe7f24043a904d898ebfc91975418753413aa099b795ecb35cedb"},
                {"255", "3fb735061abc519dfe979e54c1ee5bfad0a9d858b3315bad34bde999efd724dd"},
        };
        for (String[] v : kat) {
            byte[] in = Hex.sequence(Integer.parseInt(v[0]));
            assertArrayEquals(Hex.bytes(v[1]), Blake2s.keyed(key, 32, in), "in = " + v[0] + " bytes");
        }
    }

    /** MAC (16-byte keyed BLAKE2s) against CPython's hashlib.blake2s(in, key=00..1f, digest_size=16). */
    @Test
    void macAgainstCPythonHashlib() {
        byte[] key = Hex.sequence(32);
        assertArrayEquals(Hex.bytes("9536f9b267655743dee97b8a670f9f53"), Blake2s.mac(key, new byte[0]));
        assertArrayEquals(Hex.bytes("f1efa90d2547036841ecd3627fafbc36"), Blake2s.mac(key, Hex.sequence(64)));
        byte[] initiation = Hex.sequence(148);
        assertArrayEquals(Hex.bytes("33bd6c20ca2a7ab916d6e98003c6c5f8"), Blake2s.mac(key, initiation, 0, 148));
    }

    /** MAC against BouncyCastle configured here, on random keys, lengths and sub-ranges. */
    @Test
    void macAgainstBouncyCastle() {
        Random random = new Random(1);
        for (int i = 0; i < 200; i++) {
            byte[] key = new byte[1 + random.nextInt(32)];
            byte[] data = new byte[random.nextInt(300)];
            random.nextBytes(key);
            random.nextBytes(data);
            int off = data.length == 0 ? 0 : random.nextInt(data.length);
            int len = random.nextInt(data.length - off + 1);
            Blake2sDigest reference = new Blake2sDigest(key, 16, null, null);
            for (int j = off; j < off + len; j++) reference.update(data[j]);
            byte[] expected = new byte[16];
            reference.doFinal(expected, 0);
            assertArrayEquals(expected, Blake2s.mac(key, data, off, len));
            byte[] range = Arrays.copyOfRange(data, off, off + len);
            int cut = random.nextInt(len + 1);
            assertArrayEquals(expected, Blake2s.mac(key,
                    Arrays.copyOfRange(range, 0, cut), Arrays.copyOfRange(range, cut, len)));
        }
    }

    private static byte[] bouncyCastle(byte[] key, int outLen, byte[] in) {
        Blake2sDigest d = key == null ? new Blake2sDigest(outLen * 8) : new Blake2sDigest(key, outLen, null, null);
        d.update(in, 0, in.length);
        byte[] out = new byte[outLen];
        d.doFinal(out, 0);
        return out;
    }
}
