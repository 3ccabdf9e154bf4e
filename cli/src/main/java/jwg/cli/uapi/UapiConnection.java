package jwg.cli.uapi;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import jwg.datapath.CapacityException;
import jwg.datapath.DeviceState;
import jwg.datapath.DeviceUpdate;
import jwg.datapath.Log;
import jwg.datapath.SocketSetupException;

/**
 * One client of the configuration socket: any number of requests in a row, each `get=1` or
 * `set=1` (wireguard.com/xplatform), each answered with errno=0 or errno=-N and an empty line, as
 * wireguard-go's IpcHandle answers them. Anything else as an operation closes the connection
 * without a reply, as wireguard-go does; so does a line longer than {@link #MAX_LINE} or a `set`
 * larger than {@link #MAX_SET_BYTES}, after an errno=-EIO reply.
 */
final class UapiConnection implements Runnable {
    static final int MAX_LINE = 1024;
    /** A `set` for ~50,000 peers; beyond that the request is refused, bounding the memory a client can take. */
    static final long MAX_SET_BYTES = 16L << 20;

    private final SocketChannel channel;
    private final UapiTarget target;
    private final String name;

    UapiConnection(SocketChannel channel, UapiTarget target, String name) {
        this.channel = channel;
        this.target = target;
        this.name = name;
    }

    @Override
    public void run() {
        try (channel) {
            serve(new LineReader(channel, MAX_LINE));
        } catch (IOException e) {
            // the client went away, or the server is closing
        }
    }

    private void serve(LineReader in) throws IOException {
        for (;;) {
            try {
                String op = in.readLine();
                if (op == null) return;
                switch (op) {
                    case "get=1" -> get(in);
                    case "set=1" -> set(in);
                    default -> {
                        Log.info(name + ": UAPI: invalid operation " + UapiSyntax.quote(op) + ", closing the connection");
                        return;
                    }
                }
            } catch (UapiException fatal) {
                reply(fatal);
                return;
            }
        }
    }

    /** "get=1" must be followed by an empty line (wireguard-go: EINVAL for a trailing character). */
    private void get(LineReader in) throws IOException, UapiException {
        String next = in.readLine();
        if (next == null) throw new IOException("end of stream after get=1");
        if (!next.isEmpty()) {
            reply(UapiException.invalid("trailing characters after get=1"));
            return;
        }
        DeviceState state;
        try {
            state = target.get();
        } catch (IOException e) {
            reply(UapiException.io("cannot read the device: " + e.getMessage()));
            return;
        }
        ReplyWriter out = new ReplyWriter(channel);
        try {
            GetWriter.write(state, out);
            out.append("errno=0\n\n");
            out.flush();
        } finally {
            state.wipe();
            out.wipe();
        }
    }

    /**
     * Reads the whole body up to the empty line (or the end of the stream, which wireguard-go also
     * takes as the end), checking each line; then applies it in one step if every line was valid.
     */
    private void set(LineReader in) throws IOException, UapiException {
        SetParser parser = new SetParser();
        UapiException error = null;
        long start = in.consumed();
        String line;
        while ((line = in.readLine()) != null && !line.isEmpty()) {
            if (in.consumed() - start > MAX_SET_BYTES) throw UapiException.io("a set request larger than " + (MAX_SET_BYTES >> 20) + " MiB");
            if (error != null) continue;
            try {
                parser.line(line);
            } catch (UapiException e) {
                error = e;
            }
        }
        if (error == null) {
            DeviceUpdate update = parser.update();
            try {
                target.set(update);
            } catch (SocketSetupException e) {
                error = UapiException.addressInUse(e.getMessage());
            } catch (CapacityException e) {
                error = UapiException.noMemory(e.getMessage());
            } catch (IOException e) {
                error = UapiException.io("cannot configure the device: " + e.getMessage());
            } finally {
                update.wipe();
            }
        }
        if (error == null) write("errno=0\n\n".getBytes(StandardCharsets.US_ASCII));
        else reply(error);
    }

    private void reply(UapiException e) throws IOException {
        Log.info(name + ": UAPI: errno=-" + e.errno() + ": " + e.getMessage());
        write(("errno=-" + e.errno() + "\n\n").getBytes(StandardCharsets.US_ASCII));
    }

    private void write(byte[] bytes) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        while (b.hasRemaining()) channel.write(b);
    }
}
