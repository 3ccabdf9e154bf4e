package jwg.netlink;

import jwg.sys.ErrnoException;

import static jwg.netlink.NetlinkConstants.NETLINK_ROUTE;
import static jwg.netlink.NetlinkConstants.RTM_DELLINK;
import static jwg.netlink.NetlinkConstants.RTM_NEWLINK;
import static jwg.netlink.NetlinkConstants.RTNLGRP_LINK;

/**
 * Link notifications (RTNLGRP_LINK) of the network namespace of the thread that opened it, e.g.
 * to notice that our interface was deleted. Non-blocking: register {@link #fd()} with an event
 * loop and call {@link #drain} when it is readable. Not thread-safe.
 */
public final class LinkMonitor implements AutoCloseable {
    private final NetlinkSocket socket;

    private LinkMonitor(NetlinkSocket socket) {
        this.socket = socket;
    }

    public static LinkMonitor open() throws ErrnoException {
        return new LinkMonitor(NetlinkSocket.subscribe(NETLINK_ROUTE, RTNLGRP_LINK));
    }

    public int fd() {
        return socket.fd();
    }

    /**
     * Passes every pending notification to {@code listener}, without blocking.
     *
     * @return the number of notifications handled (0 if none was waiting)
     */
    public int drain(LinkListener listener) throws ErrnoException {
        int total = 0;
        for (;;) {
            int n = socket.receive(message -> {
                switch (message.type()) {
                    case RTM_NEWLINK -> listener.linkChanged(LinkInfo.of(message));
                    case RTM_DELLINK -> listener.linkDeleted(LinkInfo.of(message));
                    default -> { }
                }
            });
            if (n == NetlinkSocket.EMPTY) {
                return total;
            }
            if (n == NetlinkSocket.OVERRUN) {
                listener.overrun();
            } else {
                total += n;
            }
        }
    }

    @Override
    public void close() {
        socket.close();
    }
}
