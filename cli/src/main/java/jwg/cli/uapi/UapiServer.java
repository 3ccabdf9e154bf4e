package jwg.cli.uapi;

import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import jwg.datapath.Log;

/**
 * The configuration socket of one interface, /var/run/wireguard/NAME.sock (wireguard.com/xplatform):
 * accepts clients on a thread of its own and serves each on a virtual thread
 * ({@link UapiConnection}), within {@link UapiLimits}: at most so many connections (a new one
 * beyond them closes the one idle longest, so idle clients never keep wg out), each with its time
 * to send a request and to finish one (a watchdog, a virtual thread while there are connections, closes those whose time is
 * up), and the requests in progress within a budget of bytes together. Watches the socket file:
 * {@link #stopped} completes when it is deleted or replaced, upon which the implementation should
 * exit (xplatform; wireguard-go's inotify watch in ipc/uapi_linux.go).
 */
public final class UapiServer implements AutoCloseable {
    /** Where wg(8) looks for userspace interfaces. */
    public static final Path DIRECTORY = Path.of("/var/run/wireguard");
    /** How often the watchdog looks for connections whose time is up. */
    private static final long WATCHDOG_MILLIS = 1000;

    private final String name;
    private final Path path;
    private final Object fileIdentity;
    private final ServerSocketChannel listener;
    private final UapiTarget target;
    private final WatchService watch;
    private final UapiLimits limits;
    private final RequestBudget budget;
    private final Set<UapiConnection> connections = ConcurrentHashMap.newKeySet();
    /** Whether the watchdog runs. */
    private final AtomicBoolean watching = new AtomicBoolean();
    private final CompletableFuture<String> stopped = new CompletableFuture<>();
    private volatile boolean closed;

    private UapiServer(String name, Path path, SocketFile.Bound bound, UapiTarget target, WatchService watch, UapiLimits limits) {
        this.name = name;
        this.limits = limits;
        this.budget = new RequestBudget(limits.budgetBytes());
        this.path = path;
        this.listener = bound.channel();
        this.fileIdentity = bound.identity();
        this.target = target;
        this.watch = watch;
    }

    /** The path of the socket of interface name. */
    public static Path socketPath(String name) {
        return DIRECTORY.resolve(name + ".sock");
    }

    /** Creates the socket of interface name and starts serving target on it. */
    public static UapiServer start(String name, UapiTarget target) throws IOException {
        return start(name, target, UapiLimits.DEFAULT);
    }

    static UapiServer start(String name, UapiTarget target, UapiLimits limits) throws IOException {
        Path path = socketPath(name);
        return serve(name, path, SocketFile.bind(path), target, limits);
    }

    /**
     * Serves a listening socket that whoever started us made (wireguard-go's WG_UAPI_FD): its file,
     * at the socket's own path, is watched and removed at the end as if we had made it.
     *
     * @throws IOException if it is not bound to a file that exists
     */
    public static UapiServer adopt(String name, ServerSocketChannel listening, UapiTarget target) throws IOException {
        if (!(listening.getLocalAddress() instanceof UnixDomainSocketAddress address) || address.getPath().toString().isEmpty()) {
            throw new IOException("the socket handed over is not a UNIX socket bound to a file");
        }
        Path path = address.getPath();
        Object identity = SocketFile.identity(path);
        if (identity == null) throw new IOException("the socket handed over is bound to " + path + ", which does not exist");
        listening.configureBlocking(true);
        return serve(name, path, new SocketFile.Bound(listening, identity), target, UapiLimits.DEFAULT);
    }

    private static UapiServer serve(String name, Path path, SocketFile.Bound bound, UapiTarget target, UapiLimits limits) throws IOException {
        WatchService watch = null;
        try {
            watch = path.getFileSystem().newWatchService();
            path.getParent().register(watch, StandardWatchEventKinds.ENTRY_DELETE, StandardWatchEventKinds.ENTRY_CREATE);
            UapiServer server = new UapiServer(name, path, bound, target, watch, limits);
            server.checkFile(); // a deletion before the watch began is not reported by it
            Thread.ofPlatform().name("uapi-accept-" + name).daemon().start(server::acceptLoop);
            Thread.ofPlatform().name("uapi-watch-" + name).daemon().start(server::watchLoop);
            return server;
        } catch (IOException | RuntimeException e) {
            if (watch != null) watch.close();
            bound.channel().close();
            if (bound.identity() != null && Objects.equals(SocketFile.identity(path), bound.identity())) Files.deleteIfExists(path);
            throw e;
        }
    }

    public Path path() {
        return path;
    }

    /** Bytes of the request budget free now (for tests). */
    long budgetAvailable() {
        return (long) budget.available() * RequestBudget.CHUNK;
    }

    long budgetTotal() {
        return limits.budgetBytes() / RequestBudget.CHUNK * RequestBudget.CHUNK;
    }

    /** Connections open now. */
    int connectionCount() {
        return connections.size();
    }

    /** Completes with the reason when the socket file was deleted or replaced, or accepting failed. */
    public CompletableFuture<String> stopped() {
        return stopped;
    }

    private void acceptLoop() {
        try {
            for (;;) {
                SocketChannel c = listener.accept();
                if (connections.size() >= limits.connections() && !evictIdlest()) {
                    c.close();
                    Log.info(name + ": UAPI: " + limits.connections() + " connections with requests in progress, refusing another");
                    continue;
                }
                UapiConnection connection = new UapiConnection(c, target, name, limits, budget);
                connections.add(connection);
                if (!watching.getAndSet(true)) Thread.ofVirtual().name("uapi-watchdog-" + name).start(this::watchdog);
                Thread.ofVirtual().name("uapi-" + name).start(() -> {
                    try {
                        connection.run();
                    } finally {
                        connections.remove(connection);
                    }
                });
            }
        } catch (ClosedChannelException e) {
            // closed
        } catch (IOException e) {
            if (!closed) stopped.complete("the UAPI socket failed: " + e.getMessage());
        }
    }

    /** Closes the connection that has waited longest for a request; false if none is waiting. */
    private boolean evictIdlest() {
        UapiConnection idlest = null;
        for (UapiConnection c : connections) {
            if (c.idle() && (idlest == null || c.idleSince() - idlest.idleSince() < 0)) idlest = c;
        }
        if (idlest == null) return false;
        connections.remove(idlest);
        idlest.close();
        Log.info(name + ": UAPI: " + limits.connections() + " connections, closing the one idle longest for a new one");
        return true;
    }

    /**
     * Closes the connections whose time is up: no request for limits.idle(), or one unfinished
     * after limits.request(). Runs while there are connections (the accept thread starts it with
     * the first), so an idle daemon has neither its thread nor its wake-ups.
     */
    private void watchdog() {
        try {
            while (!closed) {
                if (connections.isEmpty()) {
                    watching.set(false);
                    // a connection added since the check finds watching false and starts another; else this one goes on
                    if (connections.isEmpty() || watching.getAndSet(true)) return;
                }
                Thread.sleep(WATCHDOG_MILLIS);
                long now = System.nanoTime();
                int expired = 0;
                for (UapiConnection c : connections) {
                    if (!c.expired(now)) continue;
                    connections.remove(c);
                    c.close();
                    expired++;
                }
                if (expired > 0) Log.info(name + ": UAPI: closed " + expired + " connection(s) whose time was up (" + limits.idle().toSeconds()
                        + " s to send a request, " + limits.request().toSeconds() + " s to finish one)");
            }
        } catch (InterruptedException e) {
            // closed
        }
    }

    /** Any change of the directory's entry for our file: is the file still the one we made? */
    private void watchLoop() {
        String fileName = path.getFileName().toString();
        try {
            while (!stopped.isDone()) {
                WatchKey key = watch.take();
                boolean ours = key.pollEvents().stream().anyMatch(e -> e.context() == null || e.context().toString().equals(fileName));
                key.reset();
                if (ours) checkFile();
            }
        } catch (ClosedWatchServiceException | InterruptedException e) {
            // closed
        }
    }

    private void checkFile() {
        if (!closed && (fileIdentity == null || !Objects.equals(SocketFile.identity(path), fileIdentity))) {
            stopped.complete("its UAPI socket " + path + " was removed");
        }
    }

    /** Stops serving, closes every connection and deletes the socket file if it is still ours. Idempotent. */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        try {
            watch.close();
            listener.close();
            for (UapiConnection c : connections) c.close();
            if (fileIdentity != null && Objects.equals(SocketFile.identity(path), fileIdentity)) Files.deleteIfExists(path);
        } catch (IOException e) {
            Log.info(name + ": while closing the UAPI socket: " + e.getMessage());
        }
        stopped.complete("closed");
    }
}
