package jwg.config;

/** Character rules shared by wg (char_is_space) and wg-quick (bash [[:space:]] in the C locale). */
final class ConfigText {
    private ConfigText() {}

    /** Space, \t, \n, \v, \f, \r. */
    static boolean isSpace(int c) {
        return c == ' ' || (c >= '\t' && c <= '\r');
    }

    static String trim(String s) {
        int start = 0;
        int end = s.length();
        while (start < end && isSpace(s.charAt(start))) start++;
        while (end > start && isSpace(s.charAt(end - 1))) end--;
        return s.substring(start, end);
    }

    /** What wg does to every line: drop all whitespace, wherever it is. */
    static String removeSpaces(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        s.chars().filter(c -> !isSpace(c)).forEach(c -> sb.append((char) c));
        return sb.toString();
    }
}
