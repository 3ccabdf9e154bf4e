package jwg.noise;

import java.time.Duration;

/**
 * The protocol's constants, named as in the WireGuard whitepaper (section 6.1, "Preliminaries" of
 * the timers) and the wire format (section 5.4). One place for all of them.
 */
public final class Protocol {
    private Protocol() {}

    // Whitepaper 6.1: limits on keys and messages.
    public static final long REKEY_AFTER_MESSAGES = 1L << 60;
    public static final long REJECT_AFTER_MESSAGES = -1L - (1L << 13); // 2^64 - 2^13 - 1, as unsigned
    public static final Duration REKEY_AFTER_TIME = Duration.ofSeconds(120);
    public static final Duration REJECT_AFTER_TIME = Duration.ofSeconds(180);
    public static final Duration REKEY_ATTEMPT_TIME = Duration.ofSeconds(90);
    public static final Duration REKEY_TIMEOUT = Duration.ofSeconds(5);
    /** Jitter added to every handshake retry: uniformly 0 to this (whitepaper 6.1, "Handshake retries"). */
    public static final Duration REKEY_TIMEOUT_JITTER_MAX = Duration.ofMillis(334);
    public static final Duration KEEPALIVE_TIMEOUT = Duration.ofSeconds(10);
    /** Key material is zeroed after 3 * REJECT_AFTER_TIME without a new handshake (whitepaper 6.3). */
    public static final Duration ZERO_KEYS_AFTER = REJECT_AFTER_TIME.multipliedBy(3);
    /**
     * An initiator that has received nothing on its current session for this long (165 s) starts a
     * new handshake before the session expires (whitepaper 6.2).
     */
    public static final Duration REKEY_AFTER_TIME_RECEIVING =
            REJECT_AFTER_TIME.minus(KEEPALIVE_TIMEOUT).minus(REKEY_TIMEOUT);

    /** Handshake initiations from one peer are accepted at most once per this interval (5.4.2, flood). */
    public static final Duration HANDSHAKE_INITIATION_RATE = Duration.ofMillis(20);
    /** The cookie secret (R_m) changes every two minutes (5.4.7). */
    public static final Duration COOKIE_SECRET_MAX_AGE = Duration.ofSeconds(120);
    /**
     * A received cookie is used for at most this long (5.4.7): the responder's secret lives
     * COOKIE_SECRET_MAX_AGE, less a margin for the cookie's travel time, as the kernel's
     * COOKIE_SECRET_MAX_AGE - COOKIE_SECRET_LATENCY (wireguard-go uses the full 120 s, which lets a
     * cookie outlive the secret it was made from and costs another cookie round trip).
     */
    public static final Duration COOKIE_REFRESH_TIME = COOKIE_SECRET_MAX_AGE.minusSeconds(5);

    // Replay protection (RFC 6479 with a 8192-bit ring, as kernel WireGuard and wireguard-go).
    public static final int REPLAY_WINDOW_SIZE = 8192 - 64;

    // Section 5.4: construction and identifier, and the labels of the MAC and cookie keys.
    public static final String CONSTRUCTION = "Noise_IKpsk2_25519_ChaChaPoly_BLAKE2s";
    public static final String IDENTIFIER = "WireGuard v1 zx2c4 Jason@zx2c4.com";
    public static final String LABEL_MAC1 = "mac1----";
    public static final String LABEL_COOKIE = "cookie--";

    // Section 5.4: message types (little-endian u32 on the wire: type byte and three zero bytes).
    public static final int TYPE_INITIATION = 1;
    public static final int TYPE_RESPONSE = 2;
    public static final int TYPE_COOKIE_REPLY = 3;
    public static final int TYPE_TRANSPORT = 4;

    // Sizes on the wire.
    public static final int KEY_LEN = 32;
    public static final int AEAD_TAG_LEN = 16;
    public static final int MAC_LEN = 16;
    public static final int TIMESTAMP_LEN = 12;
    public static final int COOKIE_NONCE_LEN = 24;
    public static final int INITIATION_LEN = 148;
    public static final int INITIATION_MAC1_OFFSET = 116;
    public static final int INITIATION_MAC2_OFFSET = 132;
    public static final int RESPONSE_LEN = 92;
    public static final int RESPONSE_MAC1_OFFSET = 60;
    public static final int RESPONSE_MAC2_OFFSET = 76;
    public static final int COOKIE_REPLY_LEN = 64;
    /** Transport header: type (4), receiver index (4), counter (8). */
    public static final int TRANSPORT_HEADER_LEN = 16;
    public static final int TRANSPORT_MIN_LEN = TRANSPORT_HEADER_LEN + AEAD_TAG_LEN;
    /** Plaintext is padded to a multiple of this, within the MTU (5.4.6). */
    public static final int PADDING_MULTIPLE = 16;
    /** Largest UDP payload we ever accept; anything bigger is a counted drop. */
    public static final int MAX_MESSAGE_LEN = 65535;
}
