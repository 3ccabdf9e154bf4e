package jwg.tun;

import java.nio.charset.StandardCharsets;

/** Interface name rules of the kernel's {@code dev_valid_name()}. */
public final class InterfaceName {
    private InterfaceName() {}

    /** Longest name in bytes: IFNAMSIZ - 1 for the NUL. */
    public static final int MAX_LENGTH = TunConstants.IFNAMSIZ - 1;

    /**
     * Returns {@code name} if the kernel would accept it as an interface name: 1 to 15 bytes (UTF-8),
     * not "." or "..", no '/', ':' or whitespace. A "%d" in it asks the kernel to pick the number.
     *
     * @throws IllegalArgumentException otherwise
     */
    public static String validate(String name) {
        int bytes = name.getBytes(StandardCharsets.UTF_8).length;
        if (bytes == 0 || bytes > MAX_LENGTH) {
            throw new IllegalArgumentException("interface name must be 1 to " + MAX_LENGTH + " bytes: \"" + name + "\"");
        }
        if (name.equals(".") || name.equals("..")) {
            throw new IllegalArgumentException("interface name cannot be \"" + name + "\"");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '/' || c == ':' || Character.isWhitespace(c) || c == 0) {
                throw new IllegalArgumentException("interface name has an invalid character: \"" + name + "\"");
            }
        }
        return name;
    }
}
