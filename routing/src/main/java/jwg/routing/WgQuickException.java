package jwg.routing;

import java.io.IOException;

/** A step of wg-quick's up or down failed; the message is one line, naming the step. */
public final class WgQuickException extends IOException {
    public WgQuickException(String message) {
        super(message);
    }
}
