package jwg.netlink;

import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;
import static jwg.netlink.NetlinkConstants.NLMSG_HDRLEN;

/**
 * One received netlink message: the nlmsghdr fields and the payload (family header, then
 * attributes). A view over the socket's receive buffer, valid only inside the handler it is
 * given to.
 */
public final class NetlinkMessage {
    private final MemorySegment message;

    NetlinkMessage(MemorySegment message) {
        this.message = message;
    }

    public int type() {
        return message.get(JAVA_SHORT, 4) & 0xffff;
    }

    public int flags() {
        return message.get(JAVA_SHORT, 6) & 0xffff;
    }

    public int seq() {
        return message.get(JAVA_INT, 8);
    }

    /** Everything after the nlmsghdr. */
    public MemorySegment payload() {
        return message.asSlice(NLMSG_HDRLEN);
    }

    /** The attributes after a family header of {@code headerSize} bytes (e.g. IFINFOMSG_SIZE). */
    public Attributes attributes(int headerSize) {
        MemorySegment payload = payload();
        return Attributes.parse(payload.asSlice(Math.min(NetlinkRequest.align(headerSize, 4), payload.byteSize())));
    }
}
