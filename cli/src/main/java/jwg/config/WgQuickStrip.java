package jwg.config;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * `wg-quick strip`: the file without wg-quick's own keys, for `wg setconf` and `wg syncconf`. A
 * text transformation, as wg-quick's parse_options does it, not a check of the file (wg refuses
 * what it does not take): each line as bash's `read -r` reads it (leading and trailing spaces and
 * tabs dropped), kept unless it is one of wg-quick's keys in an [Interface] section; a section
 * starts at a line whose key (the text before '=' and '#', trimmed) starts with '[', and it is
 * wg-quick's [Interface] only when that is exactly "[Interface]" in any case. The only value
 * checked is SaveConfig's, as wg-quick's read_bool does. The text ends with an empty line, as
 * wg-quick's `echo "$WG_CONFIG"` prints it.
 */
public final class WgQuickStrip {
    private WgQuickStrip() {}

    /** The stripped text of the file at path. */
    public static String strip(Path path) throws ConfigException {
        String text;
        try {
            text = Files.readString(path);
        } catch (CharacterCodingException e) {
            throw new ConfigException(path + ": not a UTF-8 text file");
        } catch (IOException e) {
            throw new ConfigException(path + ": cannot read: " + e.getMessage(), e);
        }
        return strip(text);
    }

    /** The stripped text; ConfigException for a SaveConfig that is neither true nor false (wg-quick's message). */
    public static String strip(String text) throws ConfigException {
        StringBuilder out = new StringBuilder();
        boolean quickInterface = false;
        for (int start = 0, end; start < text.length(); start = end + 1) {
            end = text.indexOf('\n', start);
            if (end < 0) end = text.length();
            String line = readTrim(text.substring(start, end));
            int hash = line.indexOf('#');
            String stripped = hash < 0 ? line : line.substring(0, hash);
            int equals = stripped.indexOf('=');
            String key = ConfigText.trim(equals < 0 ? stripped : stripped.substring(0, equals));
            if (key.startsWith("[")) quickInterface = key.equalsIgnoreCase("[Interface]");
            ConfigKey quick = quickInterface ? ConfigKey.find(key).filter(k -> k.owner == ConfigKey.Owner.WG_QUICK).orElse(null) : null;
            if (quick == ConfigKey.SAVE_CONFIG) {
                String value = ConfigText.trim(equals < 0 ? stripped : stripped.substring(equals + 1)); // bash's ${stripped#*=}
                if (!value.equalsIgnoreCase("true") && !value.equalsIgnoreCase("false")) {
                    throw new ConfigException("`" + value + "' is neither true nor false");
                }
            }
            if (quick == null) out.append(line).append('\n');
        }
        return out.append('\n').toString();
    }

    /** What `read -r` leaves of a line with bash's default IFS: no leading or trailing spaces and tabs. */
    private static String readTrim(String line) {
        int s = 0;
        int e = line.length();
        while (s < e && (line.charAt(s) == ' ' || line.charAt(s) == '\t')) s++;
        while (e > s && (line.charAt(e - 1) == ' ' || line.charAt(e - 1) == '\t')) e--;
        return line.substring(s, e);
    }
}
