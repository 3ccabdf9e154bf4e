package jwg.cli.uapi;

/**
 * A request the configuration protocol answers with {@code errno=-N}: wireguard-go's IPCError codes
 * (ipc/uapi_unix.go), negated errno values, which wg(8) turns back into errno. The message is one
 * line for the log and never holds key material.
 */
public final class UapiException extends Exception {
    /** The request could not be read (a line or the whole request too long, or an I/O error). */
    public static final int EIO = 5;
    /** The peers and allowed IPs would not fit in the heap (wg: "Cannot allocate memory"). */
    public static final int ENOMEM = 12;
    /** A malformed value, an unknown key, or a wrong protocol_version. */
    public static final int EINVAL = 22;
    /** A line without '='. */
    public static final int EPROTO = 71;
    /** The listen port is in use, or SO_MARK was refused. */
    public static final int EADDRINUSE = 98;

    private final int errno;

    private UapiException(int errno, String message) {
        super(message, null, false, false);
        this.errno = errno;
    }

    static UapiException invalid(String message) {
        return new UapiException(EINVAL, message);
    }

    static UapiException protocol(String message) {
        return new UapiException(EPROTO, message);
    }

    static UapiException io(String message) {
        return new UapiException(EIO, message);
    }

    static UapiException noMemory(String message) {
        return new UapiException(ENOMEM, message);
    }

    static UapiException addressInUse(String message) {
        return new UapiException(EADDRINUSE, message);
    }

    /** The positive errno value; the reply carries it negated, as wireguard-go's does. */
    public int errno() {
        return errno;
    }
}
