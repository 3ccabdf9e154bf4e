package jwg.datapath;

import io.netty.channel.IoEventLoop;
import java.io.IOException;
import java.util.concurrent.ExecutionException;
import jwg.datapath.udp.Bind;
import jwg.datapath.udp.UdpTransport;
import jwg.sys.ErrnoException;

/** A device's UDP sockets: {@link UdpTransport}s made on its event loop, which hand what they receive to one receiver. */
final class UdpBinder implements Configuration.Binder {
    private final IoEventLoop loop;
    private final UdpTransport.Options options;
    private final UdpTransport.Receiver receiver;

    UdpBinder(IoEventLoop loop, UdpTransport.Options options, UdpTransport.Receiver receiver) {
        this.loop = loop;
        this.options = options;
        this.receiver = receiver;
    }

    /** A UDP socket on port (0: any) with SO_MARK mark (0: none), made on the loop; throws if that fails. Not on the loop. */
    @Override
    public Bind bind(int port, int mark) throws IOException {
        try {
            return UdpTransport.bind(loop, port, options, receiver, fd -> {
                if (mark == 0) return;
                try {
                    UdpTransport.setMark(fd, mark);
                } catch (ErrnoException e) {
                    throw new IllegalStateException(e);
                }
            }).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() instanceof IllegalStateException ise && ise.getCause() != null ? ise.getCause() : e.getCause();
            throw new SocketSetupException("cannot listen on UDP port " + port + ": " + cause.getMessage(), cause);
        }
    }
}
