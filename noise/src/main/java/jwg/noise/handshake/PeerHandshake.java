package jwg.noise.handshake;

import java.util.Arrays;
import java.util.random.RandomGenerator;

import jwg.crypto.Tai64n;
import jwg.crypto.Wipe;
import jwg.noise.IndexTable;
import jwg.noise.Protocol;

/**
 * The handshake state kept per peer (whitepaper 5.4): the remote static key, the pre-shared key
 * Q, DH(S_priv_local, S_pub_remote) computed once at the first handshake with the peer, the greatest timestamp and the time of the
 * last initiation accepted from the peer, and the state of the handshake in progress (chaining
 * key, hash, ephemeral keys, indices). Made by {@link Handshake#newPeer}.
 *
 * <p>Not thread-safe: confined to the thread that owns the peer (the device's event loop), where
 * every handshake message to and from the peer is made and consumed.
 */
public final class PeerHandshake {
    private final byte[] remoteStatic;
    /** Whose DH the static-static one is, until it is computed (then null). */
    private StaticIdentity local;
    private final byte[] precomputedStaticStatic = new byte[Protocol.KEY_LEN];
    private boolean staticStaticValid;
    private final IndexTable indices;
    private final byte[] presharedKey = new byte[Protocol.KEY_LEN];

    private final byte[] lastTimestamp = new byte[Protocol.TIMESTAMP_LEN];
    private boolean initiationConsumed;
    private long lastInitiationConsumptionNanos;

    private HandshakeState state = HandshakeState.ZEROED;
    private SymmetricState symmetric;
    private byte[] localEphemeral;
    private byte[] remoteEphemeral;
    private boolean holdsLocalIndex;
    private int localIndex;
    private int remoteIndex;

    PeerHandshake(StaticIdentity local, byte[] remoteStatic, byte[] presharedKey, IndexTable indices) {
        if (remoteStatic.length != Protocol.KEY_LEN) throw new IllegalArgumentException("public key must be 32 bytes");
        this.remoteStatic = remoteStatic.clone();
        this.indices = indices;
        this.local = local;
        setPresharedKey(presharedKey);
    }

    /** The peer's static public key (a copy). */
    public byte[] remoteStatic() { return remoteStatic.clone(); }

    /**
     * Sets the pre-shared key Q (32 bytes; null for none, i.e. 32 zero bytes). It is read when the
     * PSK is mixed in (5.4.3), so it applies to the next handshake message processed; the old key
     * is wiped.
     */
    public void setPresharedKey(byte[] psk) {
        if (psk == null) {
            Arrays.fill(presharedKey, (byte) 0);
        } else {
            if (psk.length != Protocol.KEY_LEN) throw new IllegalArgumentException("pre-shared key must be 32 bytes");
            System.arraycopy(psk, 0, presharedKey, 0, Protocol.KEY_LEN);
        }
    }

    public HandshakeState state() { return state; }

    /** The local index of the handshake in progress, valid while {@link #state} is not ZEROED. */
    public int localIndex() { return localIndex; }

    /** Abandons the handshake in progress: wipes its secrets and releases its index (e.g. peer removed). */
    public void clear() {
        if (holdsLocalIndex) indices.release(localIndex);
        holdsLocalIndex = false;
        clearSession();
    }

    /**
     * Takes over the replay and flood state of the handshake this one replaces (the same peer under
     * a new local private key): the greatest timestamp accepted and the time of the last
     * initiation. Without it an initiation recorded under an earlier key could be replayed once
     * after the key changes back; wireguard-go and the kernel keep the peer's handshake object.
     */
    public void inheritReplayState(PeerHandshake previous) {
        if (previous == this) return;
        if (Tai64n.isAfter(previous.lastTimestamp, lastTimestamp)) {
            System.arraycopy(previous.lastTimestamp, 0, lastTimestamp, 0, Protocol.TIMESTAMP_LEN);
        }
        if (previous.initiationConsumed) {
            initiationConsumed = true;
            lastInitiationConsumptionNanos = previous.lastInitiationConsumptionNanos;
        }
    }

    /**
     * For a peer that is removed: {@link #clear} and also wipe the pre-shared key and the
     * precomputed DH(S_priv, S_pub_peer), which for this peer is as sensitive as the private key
     * (the kernel zeroes the whole peer). The object must not be used afterwards.
     */
    public void destroy() {
        clear();
        Arrays.fill(presharedKey, (byte) 0);
        Arrays.fill(precomputedStaticStatic, (byte) 0);
        staticStaticValid = false;
        local = null;
    }

    @Override
    public String toString() {
        return "PeerHandshake[" + state() + "]";
    }

    // ---- for Handshake ----

    /**
     * 5.4.2: DH(S_priv_i, S_pub_r) is the same for every handshake with this peer, so it is computed
     * once; at the first handshake rather than when the peer is added (as the kernel and
     * wireguard-go do), so that adding 100,000 peers, or changing the private key under them, costs
     * no X25519 each (~0.1 ms). An all-zero result (low-order remote key) makes every handshake
     * with the peer fail: no handshake is ever sent to it.
     */
    boolean staticStaticValid() {
        if (local != null) {
            staticStaticValid = local.sharedSecret(remoteStatic, precomputedStaticStatic);
            local = null;
        }
        return staticStaticValid;
    }

    /** Valid once {@link #staticStaticValid} returned true. */
    byte[] precomputedStaticStatic() { return precomputedStaticStatic; }

    byte[] presharedKey() { return presharedKey; }

    byte[] remoteStaticRef() { return remoteStatic; }

    SymmetricState symmetric() { return symmetric; }

    byte[] localEphemeral() { return localEphemeral; }

    byte[] remoteEphemeral() { return remoteEphemeral; }

    int remoteIndex() { return remoteIndex; }

    /** Releases the index of an abandoned handshake (if any) and claims a fresh random one. */
    int claimNewIndex(RandomGenerator random) {
        if (holdsLocalIndex) indices.release(localIndex);
        localIndex = indices.claimRandom(random);
        holdsLocalIndex = true;
        return localIndex;
    }

    /** The local index now belongs to a keypair, which releases it when dropped. */
    IndexTable handOverIndex() {
        holdsLocalIndex = false;
        return indices;
    }

    /** 5.4.2: accepted only if strictly newer than every timestamp accepted before. */
    boolean isReplay(byte[] timestamp) {
        return !Tai64n.isAfter(timestamp, lastTimestamp);
    }

    /** 5.4.2 (and 6.1): at most one initiation per HANDSHAKE_INITIATION_RATE. */
    boolean isFlood(long nowNanos) {
        return initiationConsumed
                && nowNanos - lastInitiationConsumptionNanos < Protocol.HANDSHAKE_INITIATION_RATE.toNanos();
    }

    void initiationCreated(SymmetricState s, byte[] ephemeralPrivate) {
        clearSession();
        symmetric = s;
        localEphemeral = ephemeralPrivate;
        state = HandshakeState.INITIATION_CREATED;
    }

    void initiationConsumed(SymmetricState s, byte[] ephemeralPublic, int sender, byte[] timestamp, long nowNanos) {
        clearSession();
        symmetric = s;
        remoteEphemeral = ephemeralPublic;
        remoteIndex = sender;
        System.arraycopy(timestamp, 0, lastTimestamp, 0, Protocol.TIMESTAMP_LEN);
        initiationConsumed = true;
        lastInitiationConsumptionNanos = nowNanos;
        state = HandshakeState.INITIATION_CONSUMED;
    }

    void setRemoteIndex(int index) { remoteIndex = index; }

    /** Wipes the secrets of the handshake in progress (5.4: ephemeral and intermediate values). */
    void clearSession() {
        if (symmetric != null) symmetric.wipe();
        Wipe.wipe(localEphemeral, remoteEphemeral);
        symmetric = null;
        localEphemeral = null;
        remoteEphemeral = null;
        state = HandshakeState.ZEROED;
    }
}
