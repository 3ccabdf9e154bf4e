package jwg.routing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * From add_default: {@code net.ipv4.conf.all.src_valid_mark=1}, so that reverse-path filtering
 * takes the fwmark into account; set only when not already 1 (containers often mount /proc/sys
 * read-only with it set). wg-quick never resets it.
 */
final class SrcValidMark {
    private static final String KEY = "net.ipv4.conf.all.src_valid_mark";

    private SrcValidMark() {}

    static void ensure(Context c) throws WgQuickException {
        Path file = c.host().procSys().resolve(KEY.replace('.', '/'));
        String value;
        try {
            value = Files.readString(file).strip();
        } catch (IOException e) {
            value = ""; // sysctl -n failed: not 1
        }
        if (value.equals("1")) {
            return;
        }
        c.log().command("sysctl -q " + KEY + "=1");
        try {
            Files.writeString(file, "1");
        } catch (IOException e) {
            throw new WgQuickException("sysctl: cannot set " + KEY + ": " + e.getMessage());
        }
    }
}
