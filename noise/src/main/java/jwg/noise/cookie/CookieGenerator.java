package jwg.noise.cookie;

import java.util.Arrays;

import jwg.crypto.AuthenticationFailedException;
import jwg.crypto.Blake2s;
import jwg.crypto.Wipe;
import jwg.crypto.XChaChaPoly;
import jwg.noise.CookieReply;
import jwg.noise.DropReason;
import jwg.noise.Protocol;
import jwg.noise.Result;
import jwg.noise.handshake.StaticIdentity;

/**
 * The initiator side of the cookie mechanism (whitepaper 5.4.4, 5.4.7) for one peer: adds mac1
 * (and mac2 while it holds a cookie younger than COOKIE_REFRESH_TIME) to every initiation and
 * response sent to the peer, and takes the cookie out of a cookie reply. Receiving a cookie
 * reply does nothing else: the handshake is retried by the timers (6.4), and the endpoint is not
 * updated from it.
 *
 * <p>Not thread-safe: confined, with its peer, to the thread that owns the peer. Time is the
 * caller's monotonic nanoseconds.
 */
public final class CookieGenerator {
    private final byte[] mac1Key;
    private final byte[] cookieKey;

    private final byte[] lastMac1 = new byte[Protocol.MAC_LEN];
    private boolean hasLastMac1;
    private final byte[] cookie = new byte[Protocol.MAC_LEN];
    private boolean hasCookie;
    private long cookieBirthNanos;

    /** For messages to the peer with static public key remoteStatic. */
    public CookieGenerator(byte[] remoteStatic) {
        this.mac1Key = StaticIdentity.mac1Key(remoteStatic);
        this.cookieKey = StaticIdentity.cookieKey(remoteStatic);
    }

    /**
     * Writes mac1 and mac2 into msg, an encoded initiation or response about to be sent:
     * mac1 = MAC(HASH(LABEL_MAC1 || S_pub_peer), msg[0:mac1]); mac2 = MAC(cookie, msg[0:mac2]) if
     * the cookie is younger than Protocol.COOKIE_REFRESH_TIME (115 s), else 16 zero bytes. Remembers mac1 for the cookie reply.
     */
    public void addMacs(byte[] msg, long nowNanos) {
        Macs.requireMacs(msg);
        int mac1 = Macs.mac1Offset(msg);
        int mac2 = Macs.mac2Offset(msg);
        byte[] m1 = Blake2s.mac(mac1Key, msg, 0, mac1);
        System.arraycopy(m1, 0, msg, mac1, Protocol.MAC_LEN);
        System.arraycopy(m1, 0, lastMac1, 0, Protocol.MAC_LEN);
        hasLastMac1 = true;
        if (hasCookie && nowNanos - cookieBirthNanos < Protocol.COOKIE_REFRESH_TIME.toNanos()) {
            byte[] m2 = Blake2s.mac(cookie, msg, 0, mac2);
            System.arraycopy(m2, 0, msg, mac2, Protocol.MAC_LEN);
        } else {
            Arrays.fill(msg, mac2, mac2 + Protocol.MAC_LEN, (byte) 0);
        }
    }

    /**
     * Stores the cookie of reply (whose receiver index the caller matched to this peer): it must
     * decrypt with HASH(LABEL_COOKIE || S_pub_peer) and AAD = the mac1 we last sent. Each sent
     * message is answered at most once (as the kernel). Ok(reply) if the cookie was stored.
     */
    public Result<CookieReply> consumeReply(CookieReply reply, long nowNanos) {
        if (!hasLastMac1) return Result.drop(DropReason.COOKIE_REPLY_UNEXPECTED);
        byte[] decrypted;
        try {
            decrypted = XChaChaPoly.open(cookieKey, reply.nonce(), reply.encryptedCookie(), lastMac1);
        } catch (AuthenticationFailedException e) {
            return Result.drop(DropReason.COOKIE_REPLY_INVALID);
        }
        System.arraycopy(decrypted, 0, cookie, 0, Protocol.MAC_LEN);
        Wipe.wipe(decrypted);
        hasCookie = true;
        cookieBirthNanos = nowNanos;
        hasLastMac1 = false;
        return Result.ok(reply);
    }

    @Override
    public String toString() {
        return "CookieGenerator";
    }
}
