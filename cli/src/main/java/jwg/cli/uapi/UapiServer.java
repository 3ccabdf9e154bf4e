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
import jwg.datapath.Log;

/**
 * The configuration socket of one interface, /var/run/wireguard/NAME.sock (wireguard.com/xplatform):
 * accepts clients on a thread of its own and serves each on a virtual thread
 * ({@link UapiConnection}), at most {@link #MAX_CONNECTIONS} at once (more are closed at once).
 * Watches the socket file: {@link #stopped} completes when it is deleted or replaced, upon which
 * the implementation should exit (xplatform; wireguard-go's inotify watch in ipc/uapi_linux.go).
 */
public final class UapiServer implements AutoCloseable {
    /** Where wg(8) looks for userspace interfaces. */
    public static final Path DIRECTORY = Path.of("/var/run/wireguard");
    static final int MAX_CONNECTIONS = 16;

    private final String name;
    private final Path path;
    private final Object fileIdentity;
    private final ServerSocketChannel listener;
    private final UapiTarget target;
    private final WatchService watch;
    private final Set<SocketChannel> connections = ConcurrentHashMap.newKeySet();
    private final CompletableFuture<String> stopped = new CompletableFuture<>();
    private volatile boolean closed;

    private UapiServer(String name, Path path, SocketFile.Bound bound, UapiTarget target, WatchService watch) {
        this.name = name;
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
        Path path = socketPath(name);
        return serve(name, path, SocketFile.bind(path), target);
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
        return serve(name, path, new SocketFile.Bound(listening, identity), target);
    }

    private static UapiServer serve(String name, Path path, SocketFile.Bound bound, UapiTarget target) throws IOException {
        WatchService watch = null;
        try {
            watch = path.getFileSystem().newWatchService();
            path.getParent().register(watch, StandardWatchEventKinds.ENTRY_DELETE, StandardWatchEventKinds.ENTRY_CREATE);
            UapiServer server = new UapiServer(name, path, bound, target, watch);
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

    /** Completes with the reason when the socket file was deleted or replaced, or accepting failed. */
    public CompletableFuture<String> stopped() {
        return stopped;
    }

    private void acceptLoop() {
        try {
            for (;;) {
                SocketChannel c = listener.accept();
                if (connections.size() >= MAX_CONNECTIONS) {
                    c.close();
                    Log.info(name + ": UAPI: more than " + MAX_CONNECTIONS + " connections, refusing one");
                    continue;
                }
                connections.add(c);
                Thread.ofVirtual().name("uapi-" + name).start(() -> {
                    try {
                        new UapiConnection(c, target, name).run();
                    } finally {
                        connections.remove(c);
                    }
                });
            }
        } catch (ClosedChannelException e) {
            // closed
        } catch (IOException e) {
            if (!closed) stopped.complete("the UAPI socket failed: " + e.getMessage());
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
            for (SocketChannel c : connections) c.close();
            if (fileIdentity != null && Objects.equals(SocketFile.identity(path), fileIdentity)) Files.deleteIfExists(path);
        } catch (IOException e) {
            Log.info(name + ": while closing the UAPI socket: " + e.getMessage());
        }
        stopped.complete("closed");
    }
}
