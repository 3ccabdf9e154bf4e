package jwg.datapath;

import java.io.IOException;

/**
 * The UDP socket could not be set up as asked: the listen port is in use, or SO_MARK was refused.
 * The device is unchanged. (wireguard-go answers both with EADDRINUSE.)
 */
public final class SocketSetupException extends IOException {
    public SocketSetupException(String message, Throwable cause) {
        super(message, cause);
    }
}
