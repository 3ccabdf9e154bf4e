package jwg.crypto;

/**
 * An AEAD tag did not verify. Thrown on every forged or corrupted handshake message, so it carries
 * no stack trace: it is an expected outcome, counted as a drop by the caller.
 */
public final class AuthenticationFailedException extends Exception {
    public AuthenticationFailedException() {
        super("authentication failed", null, false, false);
    }
}
