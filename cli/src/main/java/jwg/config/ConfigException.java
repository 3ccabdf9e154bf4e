package jwg.config;

/**
 * A configuration that wg-quick would refuse. The message is one line meant for the user as it is,
 * e.g. {@code wg0.conf:7: AllowedIPs: "10.0.0.300/24" is not a valid IP prefix}; it never contains
 * key material.
 */
public final class ConfigException extends Exception {
    private static final long serialVersionUID = 1L;

    public ConfigException(String message) {
        super(message);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }

    /** {@code file:line: key: problem}. */
    static ConfigException at(String file, int line, String key, String problem) {
        return new ConfigException(file + ":" + line + ": " + key + ": " + problem);
    }
}
