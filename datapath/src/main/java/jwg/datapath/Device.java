package jwg.datapath;

import io.netty.channel.IoEventLoop;
import io.netty.channel.IoRegistration;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import jwg.crypto.PacketAead;
import jwg.datapath.tun.LinkWatch;
import jwg.datapath.tun.TunHandle;
import jwg.datapath.udp.Bind;
import jwg.datapath.udp.UdpTransport;
import jwg.sys.ErrnoException;
import jwg.tun.TunDevice;
import jwg.tun.TunOffload;
import jwg.tun.TunOptions;

/**
 * A WireGuard interface: the TUN device, the UDP socket, the peers and their cryptokey routing.
 * This class is its lifecycle (start, the interface going up and down or away, close) and the
 * public face of the parts it wires together: {@link Outbound}, {@link Inbound},
 * {@link Handshakes}, {@link Timers}, {@link Configuration}, sharing a {@link Core}. The package
 * documentation draws the packet pipeline and states the threading model.
 *
 * <p>A device starts without a private key and without peers, listening on a random port, as
 * wireguard-go does; {@link #configure} then changes it atomically.
 */
public final class Device implements AutoCloseable {
    private final TunDevice tun;
    private final MultiThreadIoEventLoopGroup group;
    private final IoEventLoop loop;
    private final Core core;
    private final Outbound outbound;
    private final Timers timers;
    private final Configuration configuration;
    private final UdpBinder udpBinder;
    private final TunHandle tunHandle;
    private final TunWriter tunWriter;
    /** The TUN's offloads, for the startup log line. */
    private final String tunOffloads;
    /** The TUN's offloads by name, whether on or not, for the metrics. */
    private final Map<String, Boolean> tunOffloadsOn;
    private LinkWatch linkWatch;

    private Device(TunDevice tun, int mtu, Offloads offloads) {
        this.tun = tun;
        this.group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        this.loop = (IoEventLoop) group.next();
        this.core = new Core(loop, Clock.SYSTEM, tun.name(), mtu);
        int tunFlags = tun.enableOffloads((f, e) -> Log.debug("TUN refuses offloads " + TunOffload.describe(f) + ": " + e.getMessage()));
        boolean tcpGro = tun.vnetHdr();
        boolean udpGro = tcpGro && tunFlags == TunOffload.WITH_USO;
        this.tunOffloads = !tcpGro ? "offloads off"
                : TunOffload.describe(tunFlags) + (udpGro ? ", TCP and UDP" : ", TCP") + " coalescing on writes";
        this.tunOffloadsOn = tunOffloadsOn(tcpGro ? tunFlags : 0, tcpGro, udpGro);
        PacketAead aead = new PacketAead();
        this.outbound = new Outbound(core, aead);
        Handshakes handshakes = new Handshakes(core, outbound);
        this.tunHandle = new TunHandle(tun.queue(0), tun.vnetHdr(), core.alloc, outbound);
        this.tunWriter = new TunWriter(tunHandle, tun.name(), core.drops, core.alloc, tcpGro, udpGro);
        Inbound inbound = new Inbound(core, handshakes, outbound, aead, tunWriter);
        this.timers = new Timers(core, outbound, (task, delay) -> loop.schedule(task, delay, TimeUnit.NANOSECONDS));
        this.udpBinder = new UdpBinder(loop, new UdpTransport.Options(offloads.udpGso(), offloads.udpGro()), inbound);
        this.configuration = new Configuration(core, outbound, timers, udpBinder, PeerCapacity.ofThisJvm());
    }

    /**
     * Starts a device on an opened TUN whose MTU is mtu, without a private key or peers, listening
     * on a random UDP port. Call it from a thread in the TUN's network namespace: the event loop
     * thread is started from it, and every UDP socket of the device is made on that thread.
     */
    public static Device start(TunDevice tun, int mtu) throws IOException {
        return start(tun, mtu, Offloads.fromSystemProperties());
    }

    /**
     * As {@link #start(TunDevice, int)}, with the UDP offloads of offloads (the TUN's come from how
     * it was opened: with IFF_VNET_HDR, see {@link #openTun}).
     */
    public static Device start(TunDevice tun, int mtu, Offloads offloads) throws IOException {
        Log.info("ChaCha20-Poly1305: " + PacketAead.backend() + " (" + PacketAead.backendReason() + ")");
        Device d = new Device(tun, mtu, offloads);
        try {
            Bind udp = d.udpBinder.bind(0, 0);
            d.core.useSocket(udp); // before the loop serves the device: the tasks below publish it
            Log.info("offloads: TUN " + d.tunOffloads + ", UDP GSO " + (udp.gso() ? "on" : "off")
                    + ", UDP GRO " + (udp.gro() ? "on" : "off"));
            IoEventLoop loop = d.loop;
            IoRegistration reg = loop.register(d.tunHandle).get();
            d.core.onLoop(() -> {
                d.tunHandle.start(reg);
                return null;
            });
            d.linkWatch = LinkWatch.open(loop, tun, d.new LinkEvents());
            return d;
        } catch (IOException | RuntimeException e) {
            d.close();
            throw e;
        } catch (InterruptedException | ExecutionException e) {
            d.close();
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            throw new IOException("cannot start " + tun.name() + ": " + cause.getMessage(), cause);
        }
    }

    /** Opens the TUN named name, with IFF_VNET_HDR unless offloads.tun() is off. */
    public static TunDevice openTun(String name, Offloads offloads) throws ErrnoException {
        return TunDevice.open(TunOptions.named(name).vnetHdr(offloads.tun()));
    }

    public String name() { return tun.name(); }

    /** The UDP port the device listens on. */
    public int listenPort() { return core.listenPort; }

    public Drops drops() { return core.drops; }

    /** Completes with the reason when the device stops by itself (e.g. its interface was deleted). */
    public CompletableFuture<String> stopped() { return core.stopped; }

    /**
     * Applies update whole or not at all. The only steps that can fail come first: binding the new
     * listen port (the new socket is bound before the old one is closed) or setting SO_MARK on the
     * current socket; then everything else is applied in one task on the loop. Semantics are those
     * of the kernel and wireguard-go's device/uapi.go, in the order of the update.
     *
     * @throws SocketSetupException if the port is in use or the mark refused; nothing changed
     */
    public void configure(DeviceUpdate update) throws IOException {
        configuration.configure(update);
    }

    /** A snapshot of the configuration and counters, for the configuration protocol's `get`. */
    public DeviceState state() throws IOException {
        return configuration.state();
    }

    /** A snapshot of the peers' and the device's counters, for a metrics scrape: no key material but public keys. */
    public DeviceStats stats() throws IOException {
        return configuration.stats(tunOffloadsOn);
    }

    private static Map<String, Boolean> tunOffloadsOn(int flags, boolean tcpGro, boolean udpGro) {
        Map<String, Boolean> on = new LinkedHashMap<>();
        on.put("tun_csum", (flags & TunOffload.CSUM) != 0);
        on.put("tun_tso4", (flags & TunOffload.TSO4) != 0);
        on.put("tun_tso6", (flags & TunOffload.TSO6) != 0);
        on.put("tun_uso4", (flags & TunOffload.USO4) != 0);
        on.put("tun_uso6", (flags & TunOffload.USO6) != 0);
        on.put("tun_tcp_coalescing", tcpGro);
        on.put("tun_udp_coalescing", udpGro);
        return Collections.unmodifiableMap(on);
    }

    /** The interface's own changes, from rtnetlink, wherever the interface is. */
    private final class LinkEvents implements LinkWatch.Listener {
        @Override public void mtuChanged(int newMtu) {
            if (newMtu == core.mtu) return;
            core.mtu = newMtu;
            Log.info(tun.name() + ": MTU " + newMtu);
        }

        @Override public void upChanged(boolean up) {
            if (up == core.linkUp) return;
            core.linkUp = up;
            long now = core.clock.nanoTime();
            for (Peer p : core.peers()) {
                if (up) {
                    if (p.persistentKeepalive != 0) outbound.sendKeepalive(p, now); // as wg_open and wireguard-go's Up
                } else {
                    p.timers.stop();
                    p.clearSessions();
                    for (int i = p.dropStaged(); i > 0; i--) core.drops.count(Drop.INTERFACE_DOWN, now);
                }
            }
            if (up) timers.tick(); // what fell due while it was down (set then, as a persistent keepalive turned on)
            core.udp.flush();
            Log.info(tun.name() + " is " + (up ? "up" : "down" + (core.peers().isEmpty() ? "" : ": sessions dropped")));
        }

        @Override public void following(int index, String name) {
            Log.info(tun.name() + ": followed into the network namespace it is in now (as " + name + ", index " + index + ")");
        }

        @Override public void removed() {
            core.stopped.complete("interface " + tun.name() + " was removed");
        }

        @Override public void lost(String why) {
            Log.info(tun.name() + ": its MTU and up/down are no longer followed: " + why);
        }
    }

    /** Stops the loop, wipes every key, closes the socket and the TUN (which removes the interface). */
    @Override
    public void close() {
        if (!group.isShuttingDown()) {
            try {
                core.onLoop(() -> {
                    for (Peer p : new ArrayList<>(core.peers())) core.removePeer(p);
                    core.wipeIdentity();
                    if (core.udp != null) core.udp.close();
                    tunHandle.close();
                    tunWriter.release();
                    outbound.release();
                    if (linkWatch != null) linkWatch.close();
                    return null;
                });
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException e) {
                Log.info("while stopping: " + e.getCause());
            }
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
        tun.close();
        core.stopped.complete("closed");
    }
}
