package jwg.noise.timers;

import static jwg.noise.Protocol.KEEPALIVE_TIMEOUT;
import static jwg.noise.Protocol.REKEY_ATTEMPT_TIME;
import static jwg.noise.Protocol.REKEY_TIMEOUT;
import static jwg.noise.Protocol.REKEY_TIMEOUT_JITTER_MAX;
import static jwg.noise.Protocol.ZERO_KEYS_AFTER;

import java.util.random.RandomGenerator;

/**
 * The timers of one peer (whitepaper section 6, "Timers & Stateless UX"), as a pure state machine:
 * the five timers of the kernel's timers.c and wireguard-go's timers.go are deadlines kept in
 * longs, moved by events, and read back by {@link #poll}. Time is a monotonic nanosecond clock
 * passed in by the caller (System.nanoTime), jitter comes from an injected generator.
 *
 * <p><b>Thread confinement:</b> not thread-safe. Each instance belongs to one thread, normally
 * the event loop that owns the peer; every event and every poll must come from it (or be
 * serialized by the caller). No method allocates.
 *
 * <p><b>Driving it.</b> Feed events as packets pass, in the order the references do:
 * <ul>
 *   <li>transport message sent: {@link #anyAuthenticatedPacketTraversal}, {@link
 *       #anyAuthenticatedPacketSent}, then, unless it was a keepalive, {@link #dataSent};
 *   <li>transport message received and authenticated: {@link #handshakeComplete} if it is the
 *       first on a new session (key confirmation), {@link #anyAuthenticatedPacketReceived}, {@link
 *       #anyAuthenticatedPacketTraversal}, then, unless it was a keepalive, {@link #dataReceived};
 *   <li>initiation sent: {@link #anyAuthenticatedPacketTraversal}, {@link
 *       #anyAuthenticatedPacketSent}, {@link #handshakeInitiated} (even if the send failed);
 *   <li>initiation received and valid: {@link #anyAuthenticatedPacketReceived}, {@link
 *       #anyAuthenticatedPacketTraversal}; sending the response: {@link #handshakeResponseSent},
 *       {@link #sessionDerived}, {@link #anyAuthenticatedPacketTraversal}, {@link
 *       #anyAuthenticatedPacketSent};
 *   <li>response received and valid: {@link #sessionDerived}, {@link #handshakeComplete}, {@link
 *       #anyAuthenticatedPacketReceived}, {@link #anyAuthenticatedPacketTraversal}, then send the
 *       queued packets or a keepalive to confirm the session;
 *   <li>the datapath wants a new session (a packet to send and no usable keypair, or REKEY_AFTER_TIME
 *       / REKEY_AFTER_MESSAGES reached, whitepaper 6.2): {@link #requestHandshake}, and send an
 *       initiation if it returns true.
 * </ul>
 * Then, whenever {@link #nanosUntilNextDeadline} has elapsed (or after any event), call {@link
 * #poll} until it returns null, carrying out each {@link TimerAction}. Or let the {@link Alarm}
 * given to the constructor say when: it is set to a deadline no later than the earliest pending
 * one, so a scheduler can file the peer there and leave it alone until then.
 */
public final class PeerTimers {
    /** {@link #nanosUntilNextDeadline} when no timer is pending. */
    public static final long NO_DEADLINE = Long.MAX_VALUE;
    /**
     * Whitepaper 6.4: REKEY_ATTEMPT_TIME / REKEY_TIMEOUT = 18. As in the kernel and wireguard-go,
     * the peer gives up when a retry timer expires with more than this many retries made, that is
     * after the first initiation and 19 retries: 20 initiations, about 100 s.
     */
    public static final int MAX_TIMER_HANDSHAKES =
            (int) (REKEY_ATTEMPT_TIME.toNanos() / REKEY_TIMEOUT.toNanos());
    /** Largest persistent keepalive interval, in seconds (a u16 in the configuration protocol). */
    public static final int MAX_PERSISTENT_KEEPALIVE_SECONDS = 0xffff;

    private static final long REKEY_TIMEOUT_NANOS = REKEY_TIMEOUT.toNanos();
    private static final long KEEPALIVE_TIMEOUT_NANOS = KEEPALIVE_TIMEOUT.toNanos();
    private static final long ZERO_KEYS_AFTER_NANOS = ZERO_KEYS_AFTER.toNanos();
    private static final long JITTER_BOUND_NANOS = REKEY_TIMEOUT_JITTER_MAX.toNanos();
    private static final long SECOND_NANOS = 1_000_000_000L;

    /** The five timers of the references; on equal deadlines the first listed fires first. */
    private enum Timer {
        RETRANSMIT_HANDSHAKE,
        SEND_KEEPALIVE,
        NEW_HANDSHAKE,
        ZERO_KEY_MATERIAL,
        PERSISTENT_KEEPALIVE
    }

    private static final Timer[] TIMERS = Timer.values();

    private final RandomGenerator random;
    private final Alarm alarm;
    private final long[] deadlines = new long[TIMERS.length];
    private int pending; // one bit per Timer ordinal
    /** Whether {@link #alarm} is set, and to what: while any timer is pending, to no later than the earliest. */
    private boolean alarmSet;
    private long alarmNanos;

    private int handshakeAttempts;
    private boolean sentLastMinuteHandshake;
    private boolean sentHandshake;
    private long lastSentHandshakeNanos;
    private long persistentKeepaliveNanos; // 0: off

    /**
     * {@code random} supplies the handshake jitter; it is used from the owning thread only
     * (ThreadLocalRandom.current() or a per-loop SplittableRandom will do; it need not be secure).
     * {@code alarm} is told when to poll (see {@link Alarm}).
     */
    public PeerTimers(RandomGenerator random, Alarm alarm) {
        this.random = random;
        this.alarm = alarm;
    }

    /** Without an alarm: the caller polls by {@link #nanosUntilNextDeadline}. */
    public PeerTimers(RandomGenerator random) {
        this(random, Alarm.NONE);
    }

    // ---- Events ------------------------------------------------------------------------------

    /**
     * After an authenticated transport message carrying data (not a keepalive) was sent. Whitepaper
     * 6.5: if nothing authenticated comes back within KEEPALIVE_TIMEOUT + REKEY_TIMEOUT (+ jitter,
     * as the kernel), a new handshake is started. Not re-armed while already pending.
     */
    public void dataSent(long nowNanos) {
        if (!isPending(Timer.NEW_HANDSHAKE)) {
            arm(Timer.NEW_HANDSHAKE, nowNanos + KEEPALIVE_TIMEOUT_NANOS + REKEY_TIMEOUT_NANOS + jitter());
        }
    }

    /**
     * After an authenticated transport message carrying data was received; NOT for a keepalive.
     * Whitepaper 6.5, passive keepalive: if we send nothing within KEEPALIVE_TIMEOUT, a keepalive
     * is due. Not re-armed while already pending.
     */
    public void dataReceived(long nowNanos) {
        if (!isPending(Timer.SEND_KEEPALIVE)) {
            arm(Timer.SEND_KEEPALIVE, nowNanos + KEEPALIVE_TIMEOUT_NANOS);
        }
    }

    /** After any authenticated packet (data, keepalive, handshake) was sent: cancels the passive keepalive. */
    public void anyAuthenticatedPacketSent() {
        cancel(Timer.SEND_KEEPALIVE);
    }

    /** After any authenticated packet was received: the peer is alive, no new handshake is needed (6.5). */
    public void anyAuthenticatedPacketReceived() {
        cancel(Timer.NEW_HANDSHAKE);
    }

    /**
     * Before any authenticated packet is sent and after one is received: restarts the persistent
     * keepalive interval, if one is set (wg(8) PersistentKeepalive; not in the whitepaper).
     */
    public void anyAuthenticatedPacketTraversal(long nowNanos) {
        if (persistentKeepaliveNanos != 0) {
            arm(Timer.PERSISTENT_KEEPALIVE, nowNanos + persistentKeepaliveNanos);
        }
    }

    /**
     * After a handshake initiation was created and sent (or its send attempted). Whitepaper 6.4:
     * retransmit after REKEY_TIMEOUT + jitter (uniform in [0, REKEY_TIMEOUT_JITTER_MAX)) unless a
     * response completes the handshake first; also starts the once-per-REKEY_TIMEOUT limit.
     */
    public void handshakeInitiated(long nowNanos) {
        recordHandshakeSent(nowNanos);
        arm(Timer.RETRANSMIT_HANDSHAKE, nowNanos + REKEY_TIMEOUT_NANOS + jitter());
    }

    /**
     * After a handshake response was sent. Like the kernel and wireguard-go, our own initiations
     * then wait REKEY_TIMEOUT, so that both sides do not handshake at once.
     */
    public void handshakeResponseSent(long nowNanos) {
        recordHandshakeSent(nowNanos);
    }

    /**
     * After a handshake response was received and processed, or on key confirmation by the first
     * transport message of a session we responded to: stops the retries and resets the attempts.
     */
    public void handshakeComplete() {
        cancel(Timer.RETRANSMIT_HANDSHAKE);
        handshakeAttempts = 0;
        sentLastMinuteHandshake = false;
    }

    /**
     * After a new keypair was derived (before sending a response, or on receiving one). Whitepaper
     * 6.3: all key material is zeroed 3 * REJECT_AFTER_TIME after the last new session.
     */
    public void sessionDerived(long nowNanos) {
        arm(Timer.ZERO_KEY_MATERIAL, nowNanos + ZERO_KEYS_AFTER_NANOS);
    }

    /**
     * Sets the persistent keepalive interval in seconds, 0 to turn it off. Turning it on from off
     * makes a keepalive due at once (as wg(8) set does in the kernel and wireguard-go).
     */
    public void setPersistentKeepaliveInterval(int seconds, long nowNanos) {
        if (seconds < 0 || seconds > MAX_PERSISTENT_KEEPALIVE_SECONDS) {
            throw new IllegalArgumentException("persistent keepalive interval out of range: " + seconds);
        }
        boolean turnedOn = persistentKeepaliveNanos == 0 && seconds != 0;
        persistentKeepaliveNanos = seconds * SECOND_NANOS;
        if (seconds == 0) {
            cancel(Timer.PERSISTENT_KEEPALIVE);
        } else if (turnedOn) {
            arm(Timer.PERSISTENT_KEEPALIVE, nowNanos);
        }
    }

    /**
     * The datapath wants a new handshake (not a retry): resets the attempt count (whitepaper 6.4
     * counts REKEY_ATTEMPT_TIME from the last time a handshake was wanted) and returns whether an
     * initiation may be sent now; false if one was sent, or a response, less than REKEY_TIMEOUT
     * ago (6.4: "no more than once every REKEY_TIMEOUT"). On true, send one and call {@link
     * #handshakeInitiated}.
     */
    public boolean requestHandshake(long nowNanos) {
        handshakeAttempts = 0;
        return mayInitiate(nowNanos);
    }

    /**
     * The device's private key changed: the handshakes sent so far were made with the old key, so
     * the once-per-REKEY_TIMEOUT limit starts over and a new initiation may go at once (the
     * kernel's wg_noise_reset_last_sent_handshake when it expires a peer's keypairs for a new
     * private key, wireguard-go's ExpireCurrentKeypairs).
     */
    public void forgetSentHandshakes() {
        sentHandshake = false;
    }

    /**
     * Whitepaper 6.2: an initiator receiving on a session older than REKEY_AFTER_TIME_RECEIVING
     * (165 s) starts one new handshake, once per session. The receive path, having seen that
     * condition, calls this: it returns true the first time after each {@link #handshakeComplete},
     * and the caller then calls {@link #requestHandshake}.
     */
    public boolean claimLastMinuteHandshake() {
        if (sentLastMinuteHandshake) {
            return false;
        }
        sentLastMinuteHandshake = true;
        return true;
    }

    /**
     * The interface went down or the peer is removed: cancels every timer and the attempt count,
     * and forgets when a handshake message was last sent, so that the first initiation after the
     * interface comes up again goes out at once (the kernel's wg_stop resets last_sent_handshake).
     */
    public void stop() {
        pending = 0;
        handshakeAttempts = 0;
        sentLastMinuteHandshake = false;
        sentHandshake = false;
        if (alarmSet) {
            alarmSet = false;
            alarm.cancel();
        }
    }

    // ---- Queries -----------------------------------------------------------------------------

    /**
     * The next action due at {@code nowNanos}, or null when nothing is due. Timers fire one at a
     * time, earliest deadline first; carry out the action (feeding the events it causes) and poll
     * again until null. The null sets the alarm to the earliest deadline still pending, if any:
     * the poll it was set for has been made.
     */
    public TimerAction poll(long nowNanos) {
        for (Timer due = earliestDue(nowNanos); due != null; due = earliestDue(nowNanos)) {
            cancel(due);
            TimerAction action = expire(due, nowNanos);
            if (action != null) {
                return action;
            }
        }
        alarmSet = false;
        Timer next = earliestPending();
        if (next != null) {
            setAlarm(deadlines[next.ordinal()]);
        }
        return null;
    }

    /** Nanoseconds from {@code nowNanos} until the earliest pending timer (0 if overdue), or {@link #NO_DEADLINE}. */
    public long nanosUntilNextDeadline(long nowNanos) {
        Timer earliest = earliestPending();
        return earliest == null ? NO_DEADLINE : Math.max(0, deadlines[earliest.ordinal()] - nowNanos);
    }

    // ---- Expiry ------------------------------------------------------------------------------

    private TimerAction expire(Timer timer, long nowNanos) {
        return switch (timer) {
            case RETRANSMIT_HANDSHAKE -> retransmitHandshakeExpired(nowNanos);
            // 6.5 passive keepalive. The references re-arm it when more data arrived meanwhile, but
            // the keepalive acknowledges that data too and its anyAuthenticatedPacketSent cancels
            // such a re-arm at once; so we do not.
            case SEND_KEEPALIVE -> TimerAction.SEND_KEEPALIVE;
            // 6.5: we sent data and heard nothing back: a new handshake, not a retry.
            case NEW_HANDSHAKE -> requestHandshake(nowNanos) ? TimerAction.SEND_HANDSHAKE_INITIATION : null;
            case ZERO_KEY_MATERIAL -> TimerAction.DROP_KEYS; // 6.3
            case PERSISTENT_KEEPALIVE -> TimerAction.SEND_KEEPALIVE; // cancelled when set to 0
        };
    }

    /** Whitepaper 6.4: retry with jitter, or give up after REKEY_ATTEMPT_TIME worth of attempts. */
    private TimerAction retransmitHandshakeExpired(long nowNanos) {
        if (handshakeAttempts > MAX_TIMER_HANDSHAKES) {
            cancel(Timer.SEND_KEEPALIVE);
            // Destroy whatever a partial exchange left behind, as the references do.
            if (!isPending(Timer.ZERO_KEY_MATERIAL)) {
                arm(Timer.ZERO_KEY_MATERIAL, nowNanos + ZERO_KEYS_AFTER_NANOS);
            }
            return TimerAction.GIVE_UP;
        }
        handshakeAttempts++;
        return mayInitiate(nowNanos) ? TimerAction.SEND_HANDSHAKE_INITIATION : null;
    }

    // ---- Helpers -----------------------------------------------------------------------------

    private boolean mayInitiate(long nowNanos) {
        return !sentHandshake || nowNanos - lastSentHandshakeNanos >= REKEY_TIMEOUT_NANOS;
    }

    private void recordHandshakeSent(long nowNanos) {
        sentHandshake = true;
        lastSentHandshakeNanos = nowNanos;
    }

    private long jitter() {
        return random.nextLong(JITTER_BOUND_NANOS);
    }

    private Timer earliestDue(long nowNanos) {
        Timer earliest = earliestPending();
        return earliest != null && nowNanos - deadlines[earliest.ordinal()] >= 0 ? earliest : null;
    }

    private Timer earliestPending() {
        Timer earliest = null;
        for (Timer timer : TIMERS) {
            if (isPending(timer) && (earliest == null || deadlines[timer.ordinal()] - deadlines[earliest.ordinal()] < 0)) {
                earliest = timer;
            }
        }
        return earliest;
    }

    /** Every timer is armed here: the alarm is set when this deadline comes before the one it has (a comparison on the packet path). */
    private void arm(Timer timer, long deadlineNanos) {
        deadlines[timer.ordinal()] = deadlineNanos;
        pending |= 1 << timer.ordinal();
        if (!alarmSet || deadlineNanos - alarmNanos < 0) {
            setAlarm(deadlineNanos);
        }
    }

    private void setAlarm(long deadlineNanos) {
        alarmSet = true;
        alarmNanos = deadlineNanos;
        alarm.set(deadlineNanos);
    }

    private void cancel(Timer timer) {
        pending &= ~(1 << timer.ordinal());
    }

    private boolean isPending(Timer timer) {
        return (pending & 1 << timer.ordinal()) != 0;
    }
}
