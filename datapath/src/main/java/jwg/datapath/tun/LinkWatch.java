package jwg.datapath.tun;

import io.netty.channel.IoEvent;
import io.netty.channel.IoEventLoop;
import io.netty.channel.IoRegistration;
import io.netty.channel.epoll.EpollIoHandle;
import io.netty.channel.epoll.EpollIoOps;
import io.netty.channel.unix.FileDescriptor;
import java.util.concurrent.RejectedExecutionException;
import jwg.datapath.Limits;
import jwg.netlink.LinkInfo;
import jwg.netlink.LinkListener;
import jwg.netlink.LinkMonitor;
import jwg.netlink.Rtnetlink;
import jwg.sys.Errno;
import jwg.sys.ErrnoException;
import jwg.sys.InNamespace;
import jwg.tun.TunDevice;

/**
 * Follows the device's interface through rtnetlink, on the device's event loop, in whichever
 * network namespace the interface is: its MTU and whether it is up reach the datapath, its
 * deletion stops the device.
 *
 * <p>Link notifications arrive in the namespace where the link is. {@code ip link set IF netns
 * OTHER} therefore looks, to the namespace it leaves, like a deletion (RTM_DELLINK). The TUN file
 * descriptor tells the two apart: after a deletion TUNGETIFF answers EBADFD, after a move it
 * still answers, and TUNGETDEVNETNS names the namespace the interface is in now. There a new
 * subscription is opened (from a short-lived thread that enters it: none of our threads changes
 * namespace) and the interface's state read once, which also covers what changed in between.
 * The UDP socket stays where it was made, as with kernel WireGuard and wireguard-go: that is
 * what the move is for (wireguard.com/netns).
 *
 * <p>Confined to the event loop, but for {@link #open}.
 */
public final class LinkWatch implements AutoCloseable {
    /** Receives the interface's changes on the event loop; each call may repeat the last state. */
    public interface Listener {
        void mtuChanged(int mtu);

        /** Administratively up (IFF_UP) or down. */
        void upChanged(boolean up);

        /** Followed anew as index in the namespace it is in now (after a move, or lost notifications). */
        void following(int index, String name);

        void removed();

        /** The interface can no longer be followed (its MTU and up/down stay as they were). */
        void lost(String why);
    }

    private final IoEventLoop loop;
    private final TunDevice tun;
    private final Listener listener;
    private Subscription current;
    /** Counts the subscriptions asked for: a late answer to an older request is closed unused. */
    private int generation;
    private int attempts;
    private boolean closed;

    private LinkWatch(IoEventLoop loop, TunDevice tun, Listener listener) {
        this.loop = loop;
        this.tun = tun;
        this.listener = listener;
    }

    /**
     * Subscribes to the link notifications of the calling thread's network namespace, where the
     * interface must be, and reads its state; the first report reaches the listener on the loop.
     */
    public static LinkWatch open(IoEventLoop loop, TunDevice tun, Listener listener) throws ErrnoException {
        LinkMonitor monitor = LinkMonitor.open(); // before reading the state: nothing falls in between
        LinkInfo now;
        try (Rtnetlink rt = Rtnetlink.open()) {
            now = rt.link(tun.index());
        } catch (ErrnoException | RuntimeException e) {
            monitor.close();
            throw e;
        }
        LinkWatch watch = new LinkWatch(loop, tun, listener);
        loop.execute(() -> watch.subscribed(0, monitor, now, null));
        return watch;
    }

    /** Our link left the subscription's namespace (or notifications were lost): deleted, or moved? */
    private void relocate() {
        unsubscribe();
        if (!tun.attached()) {
            listener.removed();
            return;
        }
        int nsFd;
        try {
            nsFd = tun.namespace();
        } catch (ErrnoException e) {
            if (tun.attached()) listener.lost(e.getMessage());
            else listener.removed();
            return;
        }
        int request = ++generation;
        InNamespace.<Opened>supply(nsFd, "jwg-link-" + tun.name(), () -> {
            LinkMonitor monitor = LinkMonitor.open();
            try (Rtnetlink rt = Rtnetlink.open()) {
                return new Opened(monitor, rt.link(tun.currentName()));
            } catch (ErrnoException | RuntimeException e) {
                monitor.close();
                throw e;
            }
        }).whenComplete((opened, failure) -> {
            try {
                loop.execute(() -> subscribed(request, opened == null ? null : opened.monitor(),
                        opened == null ? null : opened.link(), failure));
            } catch (RejectedExecutionException e) {
                if (opened != null) opened.monitor().close(); // the device is closing
            }
        });
    }

    private record Opened(LinkMonitor monitor, LinkInfo link) {}

    /** On the loop: a subscription (monitor and the link's state) is ready, or failed. */
    private void subscribed(int request, LinkMonitor monitor, LinkInfo link, Throwable failure) {
        if (closed || request != generation) {
            if (monitor != null) monitor.close();
            return;
        }
        if (failure != null) {
            // ENODEV: the name was not there (renamed or moved again meanwhile): look once more.
            boolean again = failure instanceof ErrnoException e && e.errno() == Errno.ENODEV && ++attempts < Limits.LINK_FOLLOW_ATTEMPTS;
            if (again || !tun.attached()) relocate();
            else listener.lost(failure.getMessage());
            return;
        }
        attempts = 0;
        Subscription s = new Subscription(monitor, link.index());
        current = s;
        loop.register(s).addListener(f -> {
            if (f.isSuccess() && current == s) {
                s.start((IoRegistration) f.getNow());
            } else if (f.isSuccess()) {
                ((IoRegistration) f.getNow()).cancel();
            } else if (current == s) {
                current = null;
                s.monitor.close();
                listener.lost("cannot watch link notifications: " + f.cause());
            }
        });
        if (request != 0) listener.following(link.index(), link.name());
        report(link);
    }

    private void report(LinkInfo link) {
        if (link.mtu() > 0) listener.mtuChanged(link.mtu());
        listener.upChanged(link.isUp());
    }

    private void unsubscribe() {
        if (current != null) {
            current.close();
            current = null;
        }
    }

    @Override
    public void close() {
        closed = true;
        unsubscribe();
    }

    /** The link notifications of one namespace, for the interface's index there. */
    private final class Subscription implements EpollIoHandle {
        private final LinkMonitor monitor;
        private final FileDescriptor fd;
        private final int index;
        private IoRegistration registration;
        private boolean closed;

        Subscription(LinkMonitor monitor, int index) {
            this.monitor = monitor;
            this.fd = new FileDescriptor(monitor.fd());
            this.index = index;
        }

        void start(IoRegistration registration) {
            this.registration = registration;
            registration.submit(EpollIoOps.EPOLLIN);
        }

        @Override
        public FileDescriptor fd() {
            return fd;
        }

        @Override
        public void handle(IoRegistration registration, IoEvent event) {
            boolean[] left = {false}; // the monitor stays open until drain returns: its fd number must not be reused meanwhile
            try {
                monitor.drain(new LinkListener() {
                    @Override public void linkChanged(LinkInfo link) {
                        if (!left[0] && link.index() == index) report(link);
                    }

                    @Override public void linkDeleted(LinkInfo link) {
                        if (link.index() == index) left[0] = true;
                    }

                    @Override public void overrun() {
                        left[0] = true; // relocating reads the state anew
                    }
                });
            } catch (ErrnoException e) {
                if (!closed) {
                    unsubscribe();
                    listener.lost("link notifications failed: " + e.getMessage()); // the TUN read path still notices a deletion
                }
                return;
            }
            if (left[0] && !closed) relocate();
        }

        @Override
        public void close() {
            if (closed) return;
            closed = true;
            if (registration != null) registration.cancel();
            monitor.close();
        }
    }
}
