package jwg.datapath;

import java.io.IOException;

/**
 * A configuration refused because its peers and allowed IPs would not fit in the heap ({@link
 * PeerCapacity}); nothing of it was applied. The message is one line, without keys.
 */
public final class CapacityException extends IOException {
    public CapacityException(String message) {
        super(message);
    }
}
