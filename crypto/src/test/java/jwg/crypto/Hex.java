package jwg.crypto;

import java.util.HexFormat;

final class Hex {
    private Hex() {}

    /** Parses hex, ignoring spaces and line breaks (vectors are quoted as printed). */
    static byte[] bytes(String hex) {
        return HexFormat.of().parseHex(hex.replaceAll("\\s", ""));
    }

    static String string(byte[] b) {
        return HexFormat.of().formatHex(b);
    }

    static byte[] sequence(int len) {
        byte[] b = new byte[len];
        for (int i = 0; i < len; i++) b[i] = (byte) i;
        return b;
    }
}
