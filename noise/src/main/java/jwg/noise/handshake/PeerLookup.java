package jwg.noise.handshake;

/**
 * Finds the peer whose static public key an initiation carries (whitepaper 5.4.2: the responder
 * learns the initiator's identity only by decrypting msg.static).
 */
@FunctionalInterface
public interface PeerLookup {
    /** The handshake state of the peer with this public key, or null if there is none. */
    PeerHandshake lookup(byte[] remoteStaticPublicKey);
}
