package jwg.datapath;

import jwg.noise.Protocol;
import jwg.noise.timers.TimerAction;

/**
 * The peers' timers (whitepaper 6; wireguard-go's timers.go): every {@link Limits#TICK_NANOS}
 * each peer's {@link jwg.noise.timers.PeerTimers} is polled and what is due carried out. Not while
 * the interface is down: its timers were stopped then.
 */
final class Timers {
    private final Core core;
    private final Outbound outbound;

    Timers(Core core, Outbound outbound) {
        this.core = core;
        this.outbound = outbound;
    }

    /**
     * Polls every peer's timers. A failure while serving one peer is counted and the others go on:
     * the task is periodic, and Netty stops rescheduling a periodic task that throws.
     */
    void tick() {
        if (!core.linkUp) return; // timers were stopped when it went down
        long now = core.clock.nanoTime();
        for (Peer peer : core.peers()) {
            try {
                run(peer, now);
            } catch (RuntimeException | OutOfMemoryError e) {
                core.internalError(e);
            }
        }
        core.udp.flush();
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
                    int n = peer.dropStaged();
                    for (int i = 0; i < n; i++) core.drops.count(Drop.HANDSHAKE_GAVE_UP, now);
                    Log.info(peer + ": handshake did not complete after " + Protocol.REKEY_ATTEMPT_TIME.toSeconds() + " s, giving up");
                }
            }
        }
    }
}
