package jwg.config;

/** Unsigned numbers as the C tools behind wg-quick read them with strtoul. -1 means invalid. */
final class CNumbers {
    private CNumbers() {}

    /** Decimal digits only (wg: first character a digit, then strtoul base 10 to the end). */
    static long decimal(String s, long max) {
        return digits(s, 0, 10, max);
    }

    /** strtoul base 0 as iproute2 uses it: optional '+', then 0x hex, 0 octal or decimal. */
    static long base0(String s, long max) {
        int i = s.startsWith("+") ? 1 : 0;
        if (s.regionMatches(true, i, "0x", 0, 2)) return digits(s, i + 2, 16, max);
        if (s.startsWith("0", i) && s.length() > i + 1) return digits(s, i + 1, 8, max);
        return digits(s, i, 10, max);
    }

    /** Hex digits after a literal lowercase "0x" (wg's FwMark), else decimal. */
    static long decimalOrHex(String s, long max) {
        return s.length() > 2 && s.startsWith("0x") ? digits(s, 2, 16, max) : decimal(s, max);
    }

    private static long digits(String s, int from, int radix, long max) {
        if (from >= s.length()) return -1;
        long value = 0;
        for (int i = from; i < s.length(); i++) {
            int d = digit(s.charAt(i));
            if (d < 0 || d >= radix) return -1;
            value = value * radix + d;
            if (value > max) return -1;
        }
        return value;
    }

    private static int digit(char c) {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        if (c >= 'A' && c <= 'F') return c - 'A' + 10;
        return -1;
    }
}
