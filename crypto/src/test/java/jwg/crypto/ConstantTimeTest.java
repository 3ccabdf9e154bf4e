package jwg.crypto;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ConstantTimeTest {
    @Test
    void equalsComparesEveryByte() {
        byte[] a = Hex.sequence(32);
        assertTrue(ConstantTime.equals(a, a.clone()));
        for (int i = 0; i < 32; i++) {
            byte[] b = a.clone();
            b[i] ^= (byte) 0x80;
            assertFalse(ConstantTime.equals(a, b), "byte " + i);
        }
        assertFalse(ConstantTime.equals(a, Hex.sequence(31)));
    }

    @Test
    void equalsOnRanges() {
        byte[] a = Hex.bytes("ff0102030405ff");
        byte[] b = Hex.bytes("0102030405");
        assertTrue(ConstantTime.equals(a, 1, b, 0, 5));
        assertFalse(ConstantTime.equals(a, 0, b, 0, 5));
        assertFalse(ConstantTime.equals(a, 2, b, 0, 5));
        assertTrue(ConstantTime.equals(a, 0, b, 0, 0));
        assertThrows(IndexOutOfBoundsException.class, () -> ConstantTime.equals(a, 3, b, 0, 5));
    }

    @Test
    void isZero() {
        assertTrue(ConstantTime.isZero(new byte[32]));
        assertTrue(ConstantTime.isZero(new byte[0]));
        for (int i = 0; i < 32; i++) {
            byte[] b = new byte[32];
            b[i] = (byte) (1 << (i & 7));
            assertFalse(ConstantTime.isZero(b), "byte " + i);
        }
    }
}
