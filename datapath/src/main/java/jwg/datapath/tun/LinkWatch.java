package jwg.datapath.tun;

import io.netty.channel.IoEvent;
import io.netty.channel.IoRegistration;
import io.netty.channel.epoll.EpollIoHandle;
import io.netty.channel.epoll.EpollIoOps;
import io.netty.channel.unix.FileDescriptor;
import jwg.netlink.LinkInfo;
import jwg.netlink.LinkListener;
import jwg.netlink.LinkMonitor;
import jwg.netlink.Rtnetlink;
import jwg.sys.Errno;
import jwg.sys.ErrnoException;

/**
 * The rtnetlink link notifications of the device's interface, on the device's event loop (as
 * wireguard-go's tun_linux.go routineNetlinkListener): a new MTU reaches the datapath (wg-quick
 * and `ip link set mtu` change it after the interface is made), and the interface's removal stops
 * the device.
 */
public final class LinkWatch implements EpollIoHandle {
    /** Receives the interface's changes on the event loop. */
    public interface Listener {
        void mtuChanged(int mtu);

        void removed();
    }

    private final LinkMonitor monitor;
    private final FileDescriptor fd;
    private final int index;
    private final Listener listener;
    private IoRegistration registration;

    private LinkWatch(LinkMonitor monitor, int index, Listener listener) {
        this.monitor = monitor;
        this.fd = new FileDescriptor(monitor.fd());
        this.index = index;
        this.listener = listener;
    }

    /** Subscribes to the link notifications of the calling thread's network namespace, for interface index. */
    public static LinkWatch open(int index, Listener listener) throws ErrnoException {
        return new LinkWatch(LinkMonitor.open(), index, listener);
    }

    /** Called once registered: starts watching for notifications. */
    public void start(IoRegistration registration) {
        this.registration = registration;
        registration.submit(EpollIoOps.EPOLLIN);
    }

    @Override
    public FileDescriptor fd() {
        return fd;
    }

    @Override
    public void handle(IoRegistration registration, IoEvent event) {
        try {
            monitor.drain(new LinkListener() {
                @Override public void linkChanged(LinkInfo link) {
                    if (link.index() == index && link.mtu() > 0) listener.mtuChanged(link.mtu());
                }

                @Override public void linkDeleted(LinkInfo link) {
                    if (link.index() == index) listener.removed();
                }

                @Override public void overrun() {
                    reread();
                }
            });
        } catch (ErrnoException e) {
            registration.cancel(); // the TUN read path still notices a removed interface
        }
    }

    /** Notifications were lost: asks for the interface as it is now. */
    private void reread() {
        try (Rtnetlink rt = Rtnetlink.open()) {
            listener.mtuChanged(rt.link(index).mtu());
        } catch (ErrnoException e) {
            if (e.errno() == Errno.ENODEV) listener.removed();
        }
    }

    @Override
    public void close() {
        if (registration != null) registration.cancel();
        monitor.close();
    }
}
