package jwg.datapath;

import jwg.net.IpPrefix;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.util.concurrent.ImmediateEventExecutor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import jwg.crypto.PacketAead;
import jwg.crypto.X25519;
import jwg.datapath.offload.VirtioNetHdr;

/**
 * Two devices wired back to back in memory (wireguard-go's bindtest and tuntest): the parts a
 * {@link Device} wires around a TUN and a UDP socket, here around a {@link MemoryNet} and a list of
 * what reached the TUN, each with the other as its peer. No root, no threads, no sleeping:
 * everything runs on the test's thread (the parts' loop is an ImmediateEventExecutor) and time is
 * a {@link FakeClock} that moves when the test says.
 */
final class BackToBack implements AutoCloseable {
    final FakeClock clock = new FakeClock();
    final MemoryNet net = new MemoryNet();
    final Node a;
    final Node b;

    /** a is 10.0.0.1, b 10.0.0.2, each the other's peer with the other's /32 and its endpoint. */
    BackToBack() throws IOException {
        this(PeerCapacity.ofThisJvm());
    }

    /** As {@link #BackToBack()}, each device holding what capacity allows. */
    BackToBack(PeerCapacity capacity) throws IOException {
        a = new Node("a", ip4("10.0.0.1"), capacity);
        b = new Node("b", ip4("10.0.0.2"), capacity);
        a.configure(b);
        b.configure(a);
    }

    /** Delivers datagrams until none is left; returns how many. */
    int pump() {
        return net.pump();
    }

    /**
     * Moves time on by d in steps of a timer tick, running what each device's loop scheduled for
     * then (its timers' wake-ups) and delivering after each step.
     */
    void advance(Duration d) {
        for (long left = d.toNanos(); left > 0; left -= Limits.TICK_NANOS) {
            clock.advance(Duration.ofNanos(Math.min(left, Limits.TICK_NANOS)));
            a.scheduler.runDue();
            b.scheduler.runDue();
            pump();
        }
    }

    @Override
    public void close() {
        a.close();
        b.close();
    }

    static Inet4Address ip4(String literal) {
        try {
            return (Inet4Address) InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** One device: as {@link Device}'s constructor wires its parts, with memory for the two ends. */
    final class Node {
        final Inet4Address ip;
        final byte[] privateKey = X25519.generatePrivateKey();
        final byte[] publicKey = X25519.publicKey(privateKey);
        final Core core;
        final Outbound outbound;
        final Inbound inbound;
        final FakeScheduler scheduler = new FakeScheduler(clock);
        final Timers timers;
        final Configuration configuration;
        final TunWriter tunWriter;
        /** The IP packets written to this device's TUN, oldest first. */
        final List<byte[]> delivered = new ArrayList<>();

        Node(String name, Inet4Address ip, PeerCapacity capacity) throws IOException {
            this.ip = ip;
            core = new Core(ImmediateEventExecutor.INSTANCE, clock, name, 1420);
            PacketAead aead = new PacketAead();
            outbound = new Outbound(core, aead);
            Handshakes handshakes = new Handshakes(core, outbound);
            tunWriter = new TunWriter(this::written, name, core.drops, core.alloc, false, false);
            inbound = new Inbound(core, handshakes, outbound, aead, tunWriter);
            timers = new Timers(core, outbound, scheduler);
            configuration = new Configuration(core, outbound, timers, (port, mark) -> net.bind(port, inbound), capacity);
            core.useSocket(net.bind(0, inbound));
            core.linkUp = true; // what LinkWatch reports first of an interface that is up
        }

        InetSocketAddress address() {
            return ((MemoryNet.MemoryBind) core.udp).address;
        }

        void configure(Node peer) throws IOException {
            configuration.configure(new DeviceUpdate(Optional.of(privateKey.clone()), OptionalInt.empty(), OptionalInt.empty(), false,
                    List.of(PeerUpdate.set(peer.publicKey, null, peer.address(), 0, List.of(new IpPrefix(peer.ip.getAddress(), 32))))));
        }

        /** A packet from this device's TUN: a TUN read without offloads, [zero virtio_net_hdr | packet]. */
        void send(byte[] packet) {
            ByteBuf read = core.alloc.directBuffer(VirtioNetHdr.LENGTH + packet.length);
            try {
                read.writeZero(VirtioNetHdr.LENGTH).writeBytes(packet);
                outbound.packet(read, read.readableBytes());
                outbound.burstDone();
            } finally {
                read.release();
            }
        }

        /** The device's one peer, as `get` reports it. */
        PeerState peer() {
            try {
                return configuration.state().peers().getFirst();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        DeviceStats stats() {
            try {
                return configuration.stats(java.util.Map.of());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        long drops(Drop d) {
            return core.drops.get(d);
        }

        long drops(jwg.noise.DropReason r) {
            return core.drops.get(r);
        }

        /** The device's one peer itself. */
        Peer onlyPeer() {
            return core.peers().iterator().next();
        }

        private int written(ByteBuf buf, int index, int length) {
            delivered.add(ByteBufUtil.getBytes(buf, index + VirtioNetHdr.LENGTH, length - VirtioNetHdr.LENGTH));
            return 0;
        }

        void close() {
            for (Peer p : new ArrayList<>(core.peers())) core.removePeer(p);
            core.wipeIdentity();
            core.udp.close();
            tunWriter.release();
            outbound.release();
        }
    }
}
