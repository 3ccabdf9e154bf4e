package jwg.crypto;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.bouncycastle.crypto.digests.Blake2sDigest;
import org.bouncycastle.crypto.macs.HMac;
import org.bouncycastle.crypto.params.KeyParameter;
import org.junit.jupiter.api.Test;

class HmacKdfTest {
    /** CPython: hmac.new(key, msg, hashlib.blake2s).hexdigest(). The second key is longer than a block. */
    @Test
    void hmacAgainstCPython() {
        assertArrayEquals(Hex.bytes("66e8260777230a3a870fdec816d6487e9df792ddff3d542dab2d19123acaaa35"),
                HmacBlake2s.hmac(Hex.sequence(32), Hex.sequence(256)));
        assertArrayEquals(Hex.bytes("c1b751501db12b753069a918627b623179be55c8cc7ca5c4e14bdf32274ac656"),
                HmacBlake2s.hmac(Hex.sequence(100), "abc".getBytes(US_ASCII)));
    }

    /** Against BouncyCastle's generic HMac over its Blake2sDigest (block length 64). */
    @Test
    void hmacAgainstBouncyCastle() {
        Random random = new Random(2);
        for (int i = 0; i < 200; i++) {
            byte[] key = new byte[random.nextInt(130)];
            byte[] data = new byte[random.nextInt(300)];
            random.nextBytes(key);
            random.nextBytes(data);
            HMac reference = new HMac(new Blake2sDigest());
            reference.init(new KeyParameter(key));
            reference.update(data, 0, data.length);
            byte[] expected = new byte[32];
            reference.doFinal(expected, 0);
            assertArrayEquals(expected, HmacBlake2s.hmac(key, data), "key " + key.length + ", data " + data.length);
        }
    }

    /** wireguard-go device/kdf_test.go (TestKDF): t0, t1, t2 are KDF3's outputs tau1..tau3. */
    @Test
    void wireguardGoKdfVectors() {
        String[][] vectors = {
                {"746573742d6b6579", "746573742d696e707574",
                        "6f0e5ad38daba1bea8a0d213688736f19763239305e0f58aba697f9ffc41c633",
                        "df1194df20802a4fe594cde27e92991c8cae66c366e8106aaa937a55fa371e8a",
                        "fac6e2745a325f5dc5d11a5b165aad08b0ada28e7b4e666b7c077934a4d76c24"},
                {"776972656775617264", "776972656775617264",
                        "491d43bbfdaa8750aaf535e334ecbfe5129967cd64635101c566d4caefda96e8",
                        "1e71a379baefd8a79aa4662212fcafe19a23e2b609a3db7d6bcba8f560e3d25f",
                        "31e1ae48bddfbe5de38f295e5452b1909a1b4e38e183926af3780b0c1e1f0160"},
                {"", "",
                        "8387b46bf43eccfcf349552a095d8315c4055beb90208fb1be23b894bc2ed5d0",
                        "58a0e5f6faefccf4807bff1f05fa8a9217945762040bcec2f4b4a62bdfe0e86e",
                        "0ce6ea98ec548f8e281e93e32db65621c45eb18dc6f0a7ad94178610a2f7338e"},
        };
        for (String[] v : vectors) {
            byte[] key = Hex.bytes(v[0]);
            byte[] input = Hex.bytes(v[1]);
            byte[][] three = Kdf.kdf3(key, input);
            assertEquals(3, three.length);
            for (int i = 0; i < 3; i++) assertArrayEquals(Hex.bytes(v[2 + i]), three[i], "kdf3 tau" + (i + 1));
            byte[][] two = Kdf.kdf2(key, input);
            assertEquals(2, two.length);
            for (int i = 0; i < 2; i++) assertArrayEquals(Hex.bytes(v[2 + i]), two[i], "kdf2 tau" + (i + 1));
            assertArrayEquals(Hex.bytes(v[2]), Kdf.kdf1(key, input), "kdf1");
        }
    }

    /** KDF_n written out from the whitepaper (5.4) with BouncyCastle's HMac, on random inputs. */
    @Test
    void kdfAgainstItsDefinition() {
        Random random = new Random(3);
        for (int i = 0; i < 50; i++) {
            byte[] key = new byte[32];
            byte[] input = new byte[random.nextInt(100)];
            random.nextBytes(key);
            random.nextBytes(input);
            byte[] tau0 = bcHmac(key, input);
            byte[] tau1 = bcHmac(tau0, new byte[] {1});
            byte[] tau2 = bcHmac(tau0, concat(tau1, new byte[] {2}));
            byte[] tau3 = bcHmac(tau0, concat(tau2, new byte[] {3}));
            byte[][] out = Kdf.kdf3(key, input);
            assertArrayEquals(tau1, out[0]);
            assertArrayEquals(tau2, out[1]);
            assertArrayEquals(tau3, out[2]);
        }
    }

    /** The handshake's fixed initial values (whitepaper 5.4.2): C_i = HASH(CONSTRUCTION), H_i = HASH(C_i || IDENTIFIER). */
    @Test
    void initialChainingKeyAndHash() {
        byte[] ck = Blake2s.hash("Noise_IKpsk2_25519_ChaChaPoly_BLAKE2s".getBytes(US_ASCII));
        assertArrayEquals(Hex.bytes("60e26daef327efc02ec335e2a025d2d016eb4206f87277f52d38d1988b78cd36"), ck);
        assertArrayEquals(Hex.bytes("2211b361081ac566691243db458ad5322d9c6c662293e8b70ee19c65ba079ef3"),
                Blake2s.hash(ck, "WireGuard v1 zx2c4 Jason@zx2c4.com".getBytes(US_ASCII)));
    }

    private static byte[] bcHmac(byte[] key, byte[] data) {
        HMac mac = new HMac(new Blake2sDigest());
        mac.init(new KeyParameter(key));
        mac.update(data, 0, data.length);
        byte[] out = new byte[32];
        mac.doFinal(out, 0);
        return out;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
