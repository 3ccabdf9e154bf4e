package jwg.noise.handshake;

/** Where a peer's handshake stands (whitepaper 5.4.2-5.4.5). */
public enum HandshakeState {
    /** No handshake in progress; no secrets held. */
    ZEROED,
    /** We sent an initiation and wait for the response. */
    INITIATION_CREATED,
    /** We accepted an initiation and may answer it. */
    INITIATION_CONSUMED
}
