package jwg.config;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * wg-quick's rules for the CONFIG_FILE | INTERFACE argument: a bare interface name means
 * /etc/wireguard/NAME.conf, anything else is a path whose file name must be an interface name
 * followed by ".conf". Like wg-quick, "wg0.conf" alone is a name (and so means
 * /etc/wireguard/wg0.conf.conf); a file in the current directory is "./wg0.conf".
 */
public final class ConfigLocator {
    public static final Path DEFAULT_DIRECTORY = Path.of("/etc/wireguard");
    private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9_=+.-]{1,15}");
    private static final Pattern FILE = Pattern.compile("(^|/)([a-zA-Z0-9_=+.-]{1,15})\\.conf$");

    private ConfigLocator() {}

    /** The configuration file for the argument, looked for in /etc/wireguard when it is a name. */
    public static Path locate(String argument) throws ConfigException {
        return locate(argument, DEFAULT_DIRECTORY);
    }

    /** As {@link #locate(String)}, with names looked up in {@code directory}. The path is not resolved. */
    public static Path locate(String argument, Path directory) throws ConfigException {
        boolean isName = NAME.matcher(argument).matches();
        Path path;
        try {
            path = isName ? directory.resolve(argument + ".conf") : Path.of(argument);
        } catch (InvalidPathException e) {
            throw new ConfigException("`" + argument + "' is not a valid path");
        }
        if (argument.isEmpty() || !Files.exists(path)) {
            String hint = isName && argument.endsWith(".conf") ? " (for a file in the current directory, write ./" + argument + ")" : "";
            throw new ConfigException("`" + path + "' does not exist" + hint);
        }
        interfaceName(path.toString());
        return path;
    }

    /** The interface name a configuration file gives: its name without ".conf" (at most 15 characters). */
    public static String interfaceName(String file) throws ConfigException {
        Matcher m = FILE.matcher(file);
        if (!m.find()) {
            throw new ConfigException("`" + file + "': the config file must be a valid interface name"
                    + " (1-15 of a-z A-Z 0-9 _ = + . -), followed by .conf");
        }
        return m.group(2);
    }
}
