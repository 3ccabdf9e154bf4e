package jwg.datapath;

import java.util.concurrent.Future;
import jwg.noise.Protocol;
import jwg.noise.timers.Alarm;
import jwg.noise.timers.PeerTimers;
import jwg.noise.timers.TimerAction;

/**
 * The peers' timers (whitepaper 6; wireguard-go's timers.go), driven by their deadlines: each
 * peer's {@link PeerTimers} sets its {@link Alarm} when its earliest deadline moves earlier, which
 * files the peer in a {@link TimerWheel} of {@link Limits#TICK_NANOS} ticks; the loop wakes at the
 * next tick whose slot holds a peer, polls the peers due and files each again at its next
 * deadline. A peer without a pending timer is in no slot and costs nothing; moving a deadline
 * later (what most packets do) costs PeerTimers a comparison; one wake-up is scheduled at a time,
 * and none while the wheel is empty or the interface down (its timers were stopped then).
 */
final class Timers {
    /** Runs a task after a delay: the loop's schedule in a device, the test in memory. */
    interface Scheduler {
        Future<?> schedule(Runnable task, long delayNanos);
    }

    private final Core core;
    private final Outbound outbound;
    private final Scheduler scheduler;
    private final TimerWheel<Peer> wheel;
    private final Runnable tick = this::tick;
    /** The tick scheduled, and when it is due; null when none is. */
    private Future<?> wakeup;
    private long wakeupNanos;
    /** While a tick serves the peers due: the wake-up after it is scheduled once, at its end. */
    private boolean ticking;

    Timers(Core core, Outbound outbound, Scheduler scheduler) {
        this.core = core;
        this.outbound = outbound;
        this.scheduler = scheduler;
        this.wheel = new TimerWheel<>(Limits.TIMER_WHEEL_SLOTS, Limits.TICK_NANOS, core.clock.nanoTime());
    }

    /** A new peer's timers, whose alarm files the peer in the wheel. */
    PeerTimers timersFor(Peer peer) {
        return new PeerTimers(core.jitter, new PeerAlarm(peer));
    }

    /**
     * Polls the peers due and carries out what their timers say; returns how many it polled. The
     * loop runs it when the next filed tick comes, and LinkEvents when the interface comes up. A
     * failure while serving one peer is counted and the others go on; that peer is polled again
     * at the next tick.
     */
    int tick() {
        if (wakeup != null) {
            wakeup.cancel(false); // this one, or one for later than now: the end of this tick schedules the next
            wakeup = null;
        }
        if (!core.linkUp) return 0; // timers were stopped when it went down, and it ticks when it comes up
        long now = core.clock.nanoTime();
        int polled = 0;
        ticking = true;
        try {
            wheel.expire(now);
            for (TimerWheel.Entry<Peer> e; (e = wheel.pollDue()) != null; polled++) {
                try {
                    run(e.owner, now);
                } catch (RuntimeException | OutOfMemoryError x) {
                    core.internalError(x);
                    wheel.file(e, now); // its poll did not get to the null that sets the alarm again
                }
            }
        } finally {
            ticking = false;
        }
        if (polled > 0) core.udp.flush();
        long next = wheel.nanosUntilNextTick(now);
        if (next != PeerTimers.NO_DEADLINE) wakeBy(now + next);
        return polled;
    }

    private void run(Peer peer, long now) {
        TimerAction a;
        while ((a = peer.timers.poll(now)) != null) {
            switch (a) {
                case SEND_KEEPALIVE -> outbound.sendKeepalive(peer, now);
                case SEND_HANDSHAKE_INITIATION -> outbound.initiate(peer, now);
                case DROP_KEYS -> {
                    peer.clearSessions();
                    for (int i = peer.dropStaged(); i > 0; i--) core.drops.count(Drop.HANDSHAKE_GAVE_UP, now);
                    Log.debug(peer + ": no handshake for " + Protocol.ZERO_KEYS_AFTER.toSeconds() + " s, keys zeroed");
                }
                case GIVE_UP -> {
                    peer.initiationUnanswered();
                    int n = peer.dropStaged();
                    for (int i = 0; i < n; i++) core.drops.count(Drop.HANDSHAKE_GAVE_UP, now);
                    Log.info(peer + ": handshake did not complete after " + Protocol.REKEY_ATTEMPT_TIME.toSeconds() + " s, giving up");
                }
            }
        }
    }

    /** Makes sure a tick runs by atNanos: schedules one unless one is due by then (or a tick is running, or the interface is down). */
    private void wakeBy(long atNanos) {
        if (ticking || !core.linkUp || wakeup != null && atNanos - wakeupNanos >= 0) return;
        if (wakeup != null) wakeup.cancel(false);
        wakeupNanos = atNanos;
        wakeup = scheduler.schedule(tick, Math.max(0, atNanos - core.clock.nanoTime()));
    }

    /** A peer's place in the wheel, set by its PeerTimers (on the loop, from its events and polls). */
    private final class PeerAlarm extends TimerWheel.Entry<Peer> implements Alarm {
        PeerAlarm(Peer peer) {
            super(peer);
        }

        @Override public void set(long deadlineNanos) {
            wheel.file(this, deadlineNanos);
            wakeBy(wheel.dueNanos(this));
        }

        @Override public void cancel() {
            wheel.remove(this);
        }
    }
}
