package jwg.netlink;

/** Receives the notifications of a {@link LinkMonitor}. */
public interface LinkListener {
    /** RTM_NEWLINK: an interface appeared or changed (flags, MTU, name, ...). */
    void linkChanged(LinkInfo link);

    /** RTM_DELLINK: an interface was deleted. */
    void linkDeleted(LinkInfo link);

    /**
     * Notifications were lost (the socket's receive buffer overflowed, ENOBUFS): re-read the state
     * that matters with {@link Rtnetlink}.
     */
    void overrun();
}
