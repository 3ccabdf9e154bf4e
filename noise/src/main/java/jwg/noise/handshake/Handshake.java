package jwg.noise.handshake;

import java.time.Instant;
import java.util.random.RandomGenerator;

import jwg.crypto.Tai64n;
import jwg.crypto.Wipe;
import jwg.crypto.X25519;
import jwg.noise.DropReason;
import jwg.noise.IndexTable;
import jwg.noise.Initiation;
import jwg.noise.Protocol;
import jwg.noise.Response;
import jwg.noise.Result;
import jwg.noise.keys.Keypair;

/**
 * Noise_IKpsk2 as WireGuard uses it (whitepaper 5.4.2 - 5.4.5), for one local static identity.
 * The steps take and return messages and keypairs; macs are left zero (the cookie package adds and
 * checks them: 5.4.4, 5.4.7); nothing here does I/O or reads a clock.
 *
 * <p>The injected random source (a SecureRandom in production) supplies the ephemeral private
 * keys and the local indices. Each step works on one peer's {@link PeerHandshake}, which is
 * confined to the thread that owns the peer; this object holds nothing that changes.
 */
public final class Handshake {
    private static final byte[] NOTHING = new byte[0];

    private final StaticIdentity identity;
    private final RandomGenerator random;

    public Handshake(StaticIdentity identity, RandomGenerator random) {
        this.identity = identity;
        this.random = random;
    }

    public StaticIdentity identity() { return identity; }

    /**
     * The handshake state for a peer with static public key remoteStatic, pre-shared key psk (null
     * for none) and the index table view its indices are claimed in.
     */
    public PeerHandshake newPeer(byte[] remoteStatic, byte[] psk, IndexTable indices) {
        return new PeerHandshake(identity, remoteStatic, psk, indices);
    }

    /**
     * Initiator, 5.4.2: a new initiation to peer, with timestamp TAI64N(now). Any handshake in
     * progress with the peer is abandoned. Dropped only if a DH result is zero (LOW_ORDER_KEY:
     * the peer's configured public key is a low-order point).
     */
    public Result<Initiation> createInitiation(PeerHandshake peer, Instant now) {
        if (!peer.staticStaticValid()) return Result.drop(DropReason.LOW_ORDER_KEY);
        SymmetricState s = SymmetricState.initial();
        byte[] ephemeralPrivate = newEphemeralPrivateKey();
        byte[] dh = new byte[Protocol.KEY_LEN];
        byte[] key = null;
        try {
            // H = HASH(H || S_pub_r)
            s.mixHash(peer.remoteStaticRef());
            // C = KDF1(C, E_pub_i); H = HASH(H || E_pub_i)
            byte[] ephemeralPublic = X25519.publicKey(ephemeralPrivate);
            s.mixKey(ephemeralPublic);
            s.mixHash(ephemeralPublic);
            // (C, k) = KDF2(C, DH(E_priv_i, S_pub_r)); static = AEAD(k, 0, S_pub_i, H); H = HASH(H || static)
            if (!X25519.sharedSecret(ephemeralPrivate, peer.remoteStaticRef(), dh)) {
                s.wipe();
                Wipe.wipe(ephemeralPrivate);
                return Result.drop(DropReason.LOW_ORDER_KEY);
            }
            key = s.mixKeyAndDeriveKey(dh);
            byte[] encryptedStatic = s.encryptAndHash(key, identity.publicKey());
            Wipe.wipe(key);
            // (C, k) = KDF2(C, DH(S_priv_i, S_pub_r)); timestamp = AEAD(k, 0, TAI64N(), H); H = HASH(H || timestamp)
            key = s.mixKeyAndDeriveKey(peer.precomputedStaticStatic());
            byte[] encryptedTimestamp = s.encryptAndHash(key, Tai64n.of(now));
            int sender = peer.claimNewIndex(random);
            peer.initiationCreated(s, ephemeralPrivate);
            return Result.ok(new Initiation(sender, ephemeralPublic, encryptedStatic, encryptedTimestamp,
                    new byte[Protocol.MAC_LEN], new byte[Protocol.MAC_LEN]));
        } finally {
            Wipe.wipe(dh, key);
        }
    }

    /**
     * Responder, 5.4.2: authenticates an initiation (whose mac1, and under load mac2, the caller
     * has checked), finds the initiator with peers by its decrypted static key, and rejects
     * replayed timestamps and initiations more frequent than HANDSHAKE_INITIATION_RATE. On
     * success the peer is in state INITIATION_CONSUMED and {@link #createResponse} may follow.
     */
    public Result<PeerHandshake> consumeInitiation(Initiation msg, PeerLookup peers, long nowNanos) {
        SymmetricState s = SymmetricState.initial();
        byte[] dh = new byte[Protocol.KEY_LEN];
        byte[] key = null;
        byte[] initiatorStatic = null;
        byte[] timestamp = null;
        boolean adopted = false;
        try {
            // H = HASH(H || S_pub_r); C = KDF1(C, E_pub_i); H = HASH(H || E_pub_i)
            s.mixHash(identity.publicKey());
            s.mixKey(msg.ephemeral());
            s.mixHash(msg.ephemeral());
            // (C, k) = KDF2(C, DH(S_priv_r, E_pub_i)); S_pub_i = AEAD-1(k, 0, static, H)
            if (!identity.sharedSecret(msg.ephemeral(), dh)) return Result.drop(DropReason.LOW_ORDER_KEY);
            key = s.mixKeyAndDeriveKey(dh);
            initiatorStatic = s.decryptAndHash(key, msg.encryptedStatic());
            Wipe.wipe(key);
            key = null;
            if (initiatorStatic == null) return Result.drop(DropReason.DECRYPTION_FAILED);

            PeerHandshake peer = peers.lookup(initiatorStatic);
            if (peer == null) return Result.drop(DropReason.UNKNOWN_PEER);
            if (!peer.staticStaticValid()) return Result.drop(DropReason.LOW_ORDER_KEY);
            // (C, k) = KDF2(C, DH(S_priv_r, S_pub_i)); timestamp = AEAD-1(k, 0, msg.timestamp, H)
            key = s.mixKeyAndDeriveKey(peer.precomputedStaticStatic());
            timestamp = s.decryptAndHash(key, msg.encryptedTimestamp());
            if (timestamp == null) return Result.drop(DropReason.DECRYPTION_FAILED);
            // Only authenticated timestamps count: replay and flood protection (5.4.2, 6.1).
            if (peer.isReplay(timestamp)) return Result.drop(DropReason.REPLAYED_TIMESTAMP);
            if (peer.isFlood(nowNanos)) return Result.drop(DropReason.INITIATION_FLOOD);
            peer.initiationConsumed(s, msg.ephemeral().clone(), msg.sender(), timestamp, nowNanos);
            adopted = true;
            return Result.ok(peer);
        } finally {
            if (!adopted) s.wipe();
            Wipe.wipe(dh, key, initiatorStatic);
        }
    }

    /**
     * Responder, 5.4.3 and 5.4.5: the response to the initiation the peer last had consumed, and
     * the keypair derived from it (T_recv = first KDF2 output, T_send = second). The handshake
     * state is wiped and its index passes to the keypair.
     */
    public Result<Responded> createResponse(PeerHandshake peer, long nowNanos) {
        if (peer.state() != HandshakeState.INITIATION_CONSUMED) return Result.drop(DropReason.UNEXPECTED_STATE);
        SymmetricState s = peer.symmetric();
        byte[] ephemeralPrivate = newEphemeralPrivateKey();
        byte[] dh = new byte[Protocol.KEY_LEN];
        byte[] key = null;
        byte[][] transport = null;
        try {
            int sender = peer.claimNewIndex(random);
            // C = KDF1(C, E_pub_r); H = HASH(H || E_pub_r)
            byte[] ephemeralPublic = X25519.publicKey(ephemeralPrivate);
            s.mixKey(ephemeralPublic);
            s.mixHash(ephemeralPublic);
            // C = KDF1(C, DH(E_priv_r, E_pub_i)); C = KDF1(C, DH(E_priv_r, S_pub_i))
            if (!X25519.sharedSecret(ephemeralPrivate, peer.remoteEphemeral(), dh)) return lowOrder(peer);
            s.mixKey(dh);
            if (!X25519.sharedSecret(ephemeralPrivate, peer.remoteStaticRef(), dh)) return lowOrder(peer);
            s.mixKey(dh);
            // (C, tau, k) = KDF3(C, Q); H = HASH(H || tau); empty = AEAD(k, 0, nothing, H); H = HASH(H || empty)
            key = s.mixPresharedKey(peer.presharedKey());
            byte[] encryptedNothing = s.encryptAndHash(key, NOTHING);
            // (T_recv_r, T_send_r) = KDF2(C, nothing)
            transport = s.split();
            Keypair keypair = new Keypair(transport[1], transport[0], sender, peer.remoteIndex(), false,
                    nowNanos, peer.handOverIndex());
            Response response = new Response(sender, peer.remoteIndex(), ephemeralPublic, encryptedNothing,
                    new byte[Protocol.MAC_LEN], new byte[Protocol.MAC_LEN]);
            peer.clearSession();
            return Result.ok(new Responded(response, keypair));
        } finally {
            Wipe.wipe(ephemeralPrivate, dh, key);
            if (transport != null) Wipe.wipe(transport);
        }
    }

    /**
     * Initiator, 5.4.3 and 5.4.5: authenticates the response to our pending initiation to peer
     * (the caller found peer by msg.receiver) and derives the keypair (T_send = first KDF2
     * output). A response that does not authenticate leaves the pending initiation intact.
     */
    public Result<Keypair> consumeResponse(Response msg, PeerHandshake peer, long nowNanos) {
        if (peer.state() != HandshakeState.INITIATION_CREATED) return Result.drop(DropReason.UNEXPECTED_STATE);
        if (peer.localIndex() != msg.receiver()) return Result.drop(DropReason.UNKNOWN_RECEIVER);
        SymmetricState s = peer.symmetric().copy();
        byte[] dh = new byte[Protocol.KEY_LEN];
        byte[] key = null;
        byte[] nothing = null;
        byte[][] transport = null;
        try {
            // C = KDF1(C, E_pub_r); H = HASH(H || E_pub_r)
            s.mixKey(msg.ephemeral());
            s.mixHash(msg.ephemeral());
            // C = KDF1(C, DH(E_priv_i, E_pub_r)); C = KDF1(C, DH(S_priv_i, E_pub_r))
            if (!X25519.sharedSecret(peer.localEphemeral(), msg.ephemeral(), dh)) return Result.drop(DropReason.LOW_ORDER_KEY);
            s.mixKey(dh);
            if (!identity.sharedSecret(msg.ephemeral(), dh)) return Result.drop(DropReason.LOW_ORDER_KEY);
            s.mixKey(dh);
            // (C, tau, k) = KDF3(C, Q); H = HASH(H || tau); nothing = AEAD-1(k, 0, empty, H)
            key = s.mixPresharedKey(peer.presharedKey());
            nothing = s.decryptAndHash(key, msg.encryptedNothing());
            if (nothing == null) return Result.drop(DropReason.DECRYPTION_FAILED);
            // (T_send_i, T_recv_i) = KDF2(C, nothing)
            transport = s.split();
            peer.setRemoteIndex(msg.sender());
            Keypair keypair = new Keypair(transport[0], transport[1], msg.receiver(), msg.sender(), true,
                    nowNanos, peer.handOverIndex());
            peer.clearSession();
            return Result.ok(keypair);
        } finally {
            s.wipe();
            Wipe.wipe(dh, key);
            if (transport != null) Wipe.wipe(transport);
        }
    }

    private static Result<Responded> lowOrder(PeerHandshake peer) {
        peer.clearSession();
        return Result.drop(DropReason.LOW_ORDER_KEY);
    }

    /** A fresh ephemeral private key from the injected random source, clamped (RFC 7748). */
    private byte[] newEphemeralPrivateKey() {
        byte[] k = new byte[Protocol.KEY_LEN];
        random.nextBytes(k);
        k[0] &= (byte) 248;
        k[31] &= 127;
        k[31] |= 64;
        return k;
    }
}
