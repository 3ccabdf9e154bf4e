package jwg.datapath.udp;

import io.netty.buffer.ByteBuf;
import java.net.InetSocketAddress;
import jwg.sys.ErrnoException;

/**
 * The UDP end of the datapath, as wireguard-go's conn.Bind: what the device sends its messages
 * through. {@link UdpTransport} is the one a device runs on; tests wire devices back to back in
 * memory with another. What arrives goes to a {@link UdpTransport.Receiver}. Used on the device's
 * event loop.
 */
public interface Bind extends AutoCloseable {
    /** Queues content for to, taking ownership of it. False (content released) when the socket is backed up. */
    boolean send(ByteBuf content, InetSocketAddress to);

    /**
     * Queues the datagrams laid out back to back in content, each segmentSize bytes but the last
     * (which may be shorter), taking ownership of content. False (content released) when the
     * socket is backed up.
     */
    boolean sendSegments(ByteBuf content, int segmentSize, InetSocketAddress to);

    /** Sends what was queued. */
    void flush();

    /** Whether sends of several datagrams use UDP GSO. */
    boolean gso();

    /** UDP GSO sends failed: sends go one datagram each from now on. */
    void disableGso();

    /** Whether the socket has UDP GRO on. */
    boolean gro();

    /** The bound port. */
    int port();

    /** SO_MARK (unsigned; 0 removes it). */
    void setMark(int mark) throws ErrnoException;

    @Override
    void close();
}
