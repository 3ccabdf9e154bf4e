package jwg.noise.timers;

/** What a peer's timers ask the datapath to do now ({@link PeerTimers#poll}). */
public enum TimerAction {
    /**
     * Send a keepalive: an empty transport message (whitepaper 6.5, passive keepalive; or the
     * persistent keepalive). Without a usable session it is queued like any packet, which requests
     * a handshake.
     */
    SEND_KEEPALIVE,
    /**
     * Create and send a handshake initiation (a retry, whitepaper 6.4, or a new handshake because
     * nothing came back, 6.5), then call {@link PeerTimers#handshakeInitiated}. The attempt count
     * and the once-per-REKEY_TIMEOUT limit are already accounted for.
     */
    SEND_HANDSHAKE_INITIATION,
    /**
     * Zero all key material of the peer: current, previous and next keypairs and any handshake in
     * progress, and drop the packets queued for it (whitepaper 6.3: 3 * REJECT_AFTER_TIME without
     * a new session).
     */
    DROP_KEYS,
    /**
     * The handshake did not complete after all attempts (whitepaper 6.4, REKEY_ATTEMPT_TIME): drop
     * the packets queued while waiting for a session. No further retry is scheduled until the
     * datapath wants a handshake again ({@link PeerTimers#requestHandshake}).
     */
    GIVE_UP
}
