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
 * larger than {@link UapiLimits#MAX_SET_BYTES}, after an errno=-EIO reply, and a request that
 * finds no room in the socket's {@link RequestBudget} in its time, after errno=-ENOMEM.
 *
 * <p>Runs on a virtual thread of its own. Its deadline and whether it is idle (waiting for a
 * request) are volatile: {@link UapiServer}'s watchdog reads them and closes the channel when
 * the deadline has passed, or to make room for a new connection, which ends a blocked read or
 * write here.
 */
final class UapiConnection implements Runnable {
    static final int MAX_LINE = 1024;

    private final SocketChannel channel;
    private final UapiTarget target;
    private final String name;
    private final UapiLimits limits;
    private final RequestBudget budget;
    /** Chunks of the budget this connection's request holds. */
    private int held;
    private volatile long deadline;
    private volatile boolean idle = true;
    private volatile long idleSince;

    UapiConnection(SocketChannel channel, UapiTarget target, String name) {
        this(channel, target, name, UapiLimits.DEFAULT, new RequestBudget(UapiLimits.DEFAULT.budgetBytes()));
    }

    UapiConnection(SocketChannel channel, UapiTarget target, String name, UapiLimits limits, RequestBudget budget) {
        this.channel = channel;
        this.target = target;
        this.name = name;
        this.limits = limits;
        this.budget = budget;
        waiting();
    }

    /** Whether its time (to send a request, or to finish one) was up at now (System.nanoTime). */
    boolean expired(long now) {
        return now - deadline > 0;
    }

    /** Whether it waits for a request, and since when (System.nanoTime). */
    boolean idle() {
        return idle;
    }

    long idleSince() {
        return idleSince;
    }

    /** Closes the channel from another thread: what this connection is blocked on ends. */
    void close() {
        try {
            channel.close();
        } catch (IOException e) {
            // closed anyway
        }
    }

    private void waiting() {
        long now = System.nanoTime();
        idleSince = now;
        deadline = now + limits.idle().toNanos();
        idle = true;
    }

    private void busy() {
        deadline = System.nanoTime() + limits.request().toNanos();
        idle = false;
    }

    @Override
    public void run() {
        try (channel) {
            serve(new LineReader(channel, MAX_LINE));
        } catch (IOException e) {
            // the client went away, the server is closing, or the watchdog closed us
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void serve(LineReader in) throws IOException, InterruptedException {
        for (;;) {
            try {
                waiting();
                String op = in.readLine();
                if (op == null) return;
                busy();
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
            } finally {
                budget.give(held);
                held = 0;
            }
        }
    }

    /** Holds room for bytes of this request in the socket's budget, waiting for it until the request's deadline. */
    private void hold(long bytes) throws UapiException, InterruptedException {
        int want = RequestBudget.chunksFor(bytes) - held;
        if (want <= 0) return;
        if (!budget.take(want, deadline)) {
            throw UapiException.noMemory("the requests in progress hold all of the " + (limits.budgetBytes() >> 20) + " MiB they may");
        }
        held += want;
    }

    /** "get=1" must be followed by an empty line (wireguard-go: EINVAL for a trailing character). */
    private void get(LineReader in) throws IOException, UapiException, InterruptedException {
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
            hold(Math.min(GetWriter.estimate(state), limits.budgetBytes())); // a reply larger than the budget takes all of it
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
    private void set(LineReader in) throws IOException, UapiException, InterruptedException {
        SetParser parser = new SetParser();
        UapiException error = null;
        long start = in.consumed();
        String line;
        while ((line = in.readLine()) != null && !line.isEmpty()) {
            long size = in.consumed() - start;
            if (size > UapiLimits.MAX_SET_BYTES) throw UapiException.io("a set request larger than " + (UapiLimits.MAX_SET_BYTES >> 20) + " MiB");
            hold(size);
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
