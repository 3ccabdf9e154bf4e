package jwg.routing;

import jwg.net.IpPrefix;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * One interface brought up as wg-quick's cmd_up does, until {@link #down}. Use it on the thread
 * that called {@link WgQuick#up} (or another in the same network namespace): programs it runs
 * inherit the calling thread's namespace.
 */
public final class Session {
    private final Context c;
    private StateFile state;
    private boolean haveSetDns;
    private boolean haveSetFirewall;
    private boolean recording;
    private boolean finished;

    private Session(Context c) {
        this.c = c;
    }

    /** cmd_up after add_if, PreUp and set_config; on failure, its trap: del_if, then the exception. */
    static Session up(Context c) throws WgQuickException {
        Session session = new Session(c);
        try {
            session.state = StateFile.of(c.host(), c.name());
            session.bringUp();
            return session;
        } catch (WgQuickException | RuntimeException e) {
            session.undoFailedUp();
            throw e;
        }
    }

    private void bringUp() throws WgQuickException {
        Leftovers.remove(c, state);
        state.begin();
        recording = true;
        for (IpPrefix address : c.spec().addresses()) {
            checkInterrupted();
            Addresses.add(c, address);
        }
        checkInterrupted();
        Mtu.setUp(c);
        checkInterrupted();
        haveSetDns = ResolvConf.set(c, state);
        Routes routes = new Routes(c, state);
        for (IpPrefix prefix : AllowedIps.inRouteOrder(c.spec().allowedIps())) {
            checkInterrupted();
            haveSetFirewall |= routes.add(prefix);
        }
        routes.flush();
        checkInterrupted();
        HookRunner.run(c.processes(), c.log(), c.name(), "PostUp", c.spec().hooks().postUp());
    }

    /** wg-quick traps SIGINT and SIGTERM during up; jwg's signal handling interrupts the thread. */
    private static void checkInterrupted() throws WgQuickException {
        if (Thread.interrupted()) {
            throw new WgQuickException("interrupted");
        }
    }

    private void undoFailedUp() {
        finished = true;
        List<String> failures = new ArrayList<>();
        delIf(true, failures);
        if (recording && failures.isEmpty()) {
            attempt(failures, state::delete); // else the next up cleans up what is left
        }
        c.rtnl().close();
        failures.forEach(f -> c.log().warning("While undoing: " + f));
    }

    /** {@link #down(ConfigSaver)} without SaveConfig. */
    public void down() throws WgQuickException {
        down(() -> {});
    }

    /**
     * wg-quick's cmd_down: PreDown, SaveConfig ({@code saveConfig}), del_if (the fwmark rules,
     * then {@link DeviceControl#delete}), unset_dns, remove_firewall, PostDown. Unlike wg-quick,
     * a failing step does not stop the others (jwg is going away and must leave nothing behind);
     * the first failure is thrown at the end. Does nothing after the first call, or after a
     * failed up (which undid itself).
     */
    public synchronized void down(ConfigSaver saveConfig) throws WgQuickException {
        if (finished) {
            return;
        }
        finished = true;
        List<String> failures = new ArrayList<>();
        attempt(failures, () -> HookRunner.run(c.processes(), c.log(), c.name(), "PreDown", c.spec().hooks().preDown()));
        attempt(failures, () -> {
            try {
                saveConfig.save();
            } catch (WgQuickException e) {
                throw e;
            } catch (IOException e) {
                throw new WgQuickException("SaveConfig: " + e.getMessage());
            }
        });
        delIf(false, failures);
        // "unset_dns || true; remove_firewall || true": failures are only reported.
        List<String> ignored = new ArrayList<>();
        attempt(ignored, () -> ResolvConf.unset(c));
        attempt(ignored, () -> Firewall.remove(c));
        ignored.forEach(c.log()::warning);
        attempt(failures, () -> HookRunner.run(c.processes(), c.log(), c.name(), "PostDown", c.spec().hooks().postDown()));
        if (failures.isEmpty()) {
            attempt(failures, state::delete); // else the next up cleans up what is left
        }
        c.rtnl().close();
        if (!failures.isEmpty()) {
            throw new WgQuickException(failures.getFirst()
                    + (failures.size() > 1 ? " (and " + (failures.size() - 1) + " more failures)" : ""));
        }
    }

    /**
     * del_if. {@code dnsAndFirewall}: also what this session set of DNS and firewall, as after a
     * failed up (wg-quick's HAVE_SET_DNS and HAVE_SET_FIREWALL; a later cmd_down has neither).
     */
    private void delIf(boolean dnsAndFirewall, List<String> failures) {
        if (dnsAndFirewall && haveSetDns) {
            attempt(failures, () -> ResolvConf.unset(c));
        }
        if (dnsAndFirewall && haveSetFirewall) {
            attempt(failures, () -> Firewall.remove(c));
        }
        attempt(failures, () -> {
            int fwmark = c.device().fwmark(); // get_fwmark
            if (c.spec().table() instanceof Table.Auto && fwmark != 0 && c.spec().hasDefaultRoute()) {
                PolicyRules.remove(c, Integer.toUnsignedLong(fwmark));
            }
        });
        String command = "ip link delete dev " + c.name();
        attempt(failures, () -> c.ip(command, () -> c.device().delete()));
    }

    @FunctionalInterface
    private interface Step {
        void run() throws WgQuickException;
    }

    private static void attempt(List<String> failures, Step step) {
        try {
            step.run();
        } catch (WgQuickException | RuntimeException e) {
            failures.add(e.getMessage());
        }
    }
}
