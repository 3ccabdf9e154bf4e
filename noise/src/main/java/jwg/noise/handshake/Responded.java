package jwg.noise.handshake;

import jwg.noise.Response;
import jwg.noise.keys.Keypair;

/**
 * What the responder gets from {@link Handshake#createResponse}: the response to send (macs still
 * zero) and the keypair derived with it, to install with Keypairs.install, where it waits in
 * `next` until the initiator sends on it (5.4.5).
 */
public record Responded(Response response, Keypair keypair) {}
