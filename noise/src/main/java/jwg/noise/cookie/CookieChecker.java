package jwg.noise.cookie;

import java.util.Arrays;
import java.util.random.RandomGenerator;

import jwg.crypto.Blake2s;
import jwg.crypto.ConstantTime;
import jwg.crypto.Wipe;
import jwg.crypto.XChaChaPoly;
import jwg.noise.CookieReply;
import jwg.noise.Protocol;
import jwg.noise.handshake.StaticIdentity;

/**
 * The responder side of the cookie mechanism (whitepaper 5.4.4, 5.4.7) for the local identity.
 * For every incoming initiation or response, in this order, before any DH:
 * <ol>
 * <li>{@link #checkMac1}: false, drop silently (INVALID_MAC1);</li>
 * <li>if under load, {@link #checkMac2}: false, send {@link #createReply} to the source and drop
 * the message (INVALID_MAC2); true, the source address is proven and may be rate limited.</li>
 * </ol>
 * The cookie is MAC(R_m, source IP || source port), R_m a random secret renewed every
 * COOKIE_SECRET_MAX_AGE (120 s). The address is encoded as the kernel does: the 4 (IPv4) or 16
 * (IPv6) address bytes in network order, then the UDP port as 2 bytes big-endian. (wireguard-go
 * writes the port little-endian; the cookie is opaque to the peer, so either interoperates, but
 * the port must be there: a cookie over the IP alone lets every host behind one NAT share it.)
 *
 * <p>Thread-safe, although a device uses it from its event loop only: the secret's renewal holds
 * this object's monitor, which costs nothing next to the MACs it guards and is taken only for
 * mac2 and cookie replies, i.e. under load; a device with several loops (crypto across cores)
 * would share this one checker between them, as it shares its identity. Time is the caller's
 * monotonic nanoseconds; randomness (secret, nonces) is injected (a SecureRandom in production).
 */
public final class CookieChecker {
    private final byte[] mac1Key;
    private final byte[] cookieKey;
    private final RandomGenerator random;

    private final byte[] secret = new byte[Protocol.KEY_LEN];
    private boolean hasSecret;
    private long secretBirthNanos;

    public CookieChecker(StaticIdentity local, RandomGenerator random) {
        this.mac1Key = local.mac1Key();
        this.cookieKey = local.cookieKey();
        this.random = random;
    }

    /** 5.4.4: msg (a whole initiation or response) carries mac1 = MAC(HASH(LABEL_MAC1 || S_pub), msg[0:mac1]). */
    public boolean checkMac1(byte[] msg) {
        if (!Macs.hasMacs(msg)) return false;
        int off = Macs.mac1Offset(msg);
        byte[] expected = Blake2s.mac(mac1Key, msg, 0, off);
        return ConstantTime.equals(expected, 0, msg, off, Protocol.MAC_LEN);
    }

    /**
     * 5.4.7: msg carries mac2 = MAC(cookie, msg[0:mac2]) with the cookie this checker currently
     * gives to sourceAddress:sourcePort (a cookie made with a secret older than 120 s is invalid).
     */
    public boolean checkMac2(byte[] msg, byte[] sourceAddress, int sourcePort, long nowNanos) {
        if (!Macs.hasMacs(msg)) return false;
        byte[] cookie = cookie(sourceAddress, sourcePort, nowNanos);
        int off = Macs.mac2Offset(msg);
        byte[] expected = Blake2s.mac(cookie, msg, 0, off);
        Wipe.wipe(cookie);
        return ConstantTime.equals(expected, 0, msg, off, Protocol.MAC_LEN);
    }

    /**
     * 5.4.7: the cookie reply to msg (an initiation or response whose mac1 was valid) from
     * sourceAddress:sourcePort: receiver = the message's sender index, a random 24-byte nonce, and
     * XAEAD(HASH(LABEL_COOKIE || S_pub), nonce, cookie, msg.mac1).
     */
    public CookieReply createReply(byte[] msg, byte[] sourceAddress, int sourcePort, long nowNanos) {
        Macs.requireMacs(msg);
        byte[] cookie = cookie(sourceAddress, sourcePort, nowNanos);
        byte[] nonce = new byte[Protocol.COOKIE_NONCE_LEN];
        random.nextBytes(nonce);
        int mac1 = Macs.mac1Offset(msg);
        byte[] aad = Arrays.copyOfRange(msg, mac1, mac1 + Protocol.MAC_LEN);
        byte[] encryptedCookie = XChaChaPoly.seal(cookieKey, nonce, cookie, aad);
        Wipe.wipe(cookie);
        int sender = (msg[4] & 0xff) | (msg[5] & 0xff) << 8 | (msg[6] & 0xff) << 16 | (msg[7] & 0xff) << 24;
        return new CookieReply(sender, nonce, encryptedCookie);
    }

    /** MAC(R_m, address || port as big-endian u16), renewing R_m if it is 120 s old. */
    private byte[] cookie(byte[] address, int port, long nowNanos) {
        if (address.length != 4 && address.length != 16) {
            throw new IllegalArgumentException("address must be 4 or 16 bytes");
        }
        if (port < 0 || port > 0xffff) throw new IllegalArgumentException("port out of range");
        byte[] portBytes = {(byte) (port >>> 8), (byte) port};
        synchronized (this) {
            if (!hasSecret || nowNanos - secretBirthNanos >= Protocol.COOKIE_SECRET_MAX_AGE.toNanos()) {
                random.nextBytes(secret);
                secretBirthNanos = nowNanos;
                hasSecret = true;
            }
            return Blake2s.mac(secret, address, portBytes);
        }
    }

    @Override
    public String toString() {
        return "CookieChecker";
    }
}
