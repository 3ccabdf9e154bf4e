package jwg.bench.e2e;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.DatagramChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import jwg.noise.Protocol;
import jwg.noise.cookie.CookieGenerator;

/**
 * A flood for bench/e2e/flood-bench, sent as fast as one thread can from several sockets (source
 * ports, and addresses if given), for a bounded time; it prints what it sent.
 * <ul>
 * <li>By default initiations that carry a valid mac1 for the target's public key (so each passes
 *     the first, cheap check and, unless the target is under load, costs it a Diffie-Hellman) but
 *     are otherwise random.
 * <li>With {@code --mix FILE}, of every 256 datagrams: 128 such initiations; 64 random datagrams of
 *     every size from 0 bytes to the UDP maximum (most of them small, some with a message type's
 *     header and length, so that each parser sees them); and 64 transport messages captured from
 *     the tunnel (FILE: one hex datagram a line), replayed as they are.
 * </ul>
 *
 * <pre>java -cp bench/target/benchmarks.jar jwg.bench.e2e.HandshakeFlood PUBKEY HOST PORT SECONDS [--mix FILE] [LOCAL_ADDRESS...]</pre>
 *
 * Only for our own test namespaces: the target must be an address of the benchmark's.
 */
public final class HandshakeFlood {
    private static final int DISTINCT = 4096;
    private static final int SOCKETS_PER_ADDRESS = 16;
    private static final int ROUND = 256;

    private enum Kind { INITIATION, RANDOM, REPLAY }

    public static void main(String[] args) throws Exception {
        List<String> rest = new ArrayList<>(List.of(args));
        Path replayFile = null;
        int mix = rest.indexOf("--mix");
        if (mix >= 0 && mix + 1 < rest.size()) {
            replayFile = Path.of(rest.remove(mix + 1));
            rest.remove(mix);
        }
        if (rest.size() < 4) {
            System.err.println("usage: HandshakeFlood PUBKEY HOST PORT SECONDS [--mix FILE] [LOCAL_ADDRESS...]");
            System.exit(2);
        }
        byte[] target = Base64.getDecoder().decode(rest.get(0));
        InetSocketAddress to = new InetSocketAddress(InetAddress.getByName(rest.get(1)), Integer.parseInt(rest.get(2)));
        long seconds = Long.parseLong(rest.get(3));
        List<InetAddress> locals = new ArrayList<>();
        for (int i = 4; i < rest.size(); i++) locals.add(InetAddress.getByName(rest.get(i)));
        if (locals.isEmpty()) locals.add(null);

        ByteBuffer[] initiations = initiations(target);
        ByteBuffer[] randoms = replayFile == null ? null : randoms();
        ByteBuffer[] replays = replayFile == null ? null : replays(replayFile);
        Kind[] round = round(replayFile != null);

        List<DatagramChannel> sockets = new ArrayList<>();
        for (InetAddress local : locals) {
            for (int i = 0; i < SOCKETS_PER_ADDRESS; i++) {
                DatagramChannel c = DatagramChannel.open();
                c.bind(new InetSocketAddress(local, 0));
                c.connect(to);
                c.configureBlocking(false);
                sockets.add(c);
            }
        }
        long[] sent = new long[Kind.values().length];
        long refused = 0, n = 0;
        long start = System.nanoTime(), end = start + seconds * 1_000_000_000L;
        int s = 0;
        while (System.nanoTime() < end) {
            for (Kind kind : round) {
                ByteBuffer[] pool = switch (kind) {
                    case INITIATION -> initiations;
                    case RANDOM -> randoms;
                    case REPLAY -> replays;
                };
                ByteBuffer m = pool[(int) (n++ % pool.length)];
                m.rewind();
                try {
                    if (sockets.get(s).write(m) > 0 || m.limit() == 0) sent[kind.ordinal()]++;
                    else refused++;
                } catch (IOException e) {
                    refused++; // ICMP port unreachable reported back, or a full buffer
                }
                s = (s + 1) % sockets.size();
            }
        }
        double secs = (System.nanoTime() - start) / 1e9;
        long total = sent[0] + sent[1] + sent[2];
        System.out.printf("flood: %d datagrams in %.1f s (%.0f/s) from %d sockets: %d initiations, %d random, %d replayed; %d not sent%n",
                total, secs, total / secs, sockets.size(), sent[0], sent[1], sent[2], refused);
        for (DatagramChannel c : sockets) c.close();
    }

    private static Kind[] round(boolean mixed) {
        Kind[] round = new Kind[ROUND];
        for (int i = 0; i < ROUND; i++) {
            round[i] = !mixed || i % 2 == 0 ? Kind.INITIATION : i % 4 == 1 ? Kind.RANDOM : Kind.REPLAY;
        }
        return round;
    }

    /** Initiations with random contents and a valid mac1 for target (mac2 zero: no cookie). */
    private static ByteBuffer[] initiations(byte[] target) {
        SecureRandom random = new SecureRandom();
        CookieGenerator macs = new CookieGenerator(target);
        ByteBuffer[] out = new ByteBuffer[DISTINCT];
        for (int i = 0; i < DISTINCT; i++) {
            byte[] msg = new byte[Protocol.INITIATION_LEN];
            random.nextBytes(msg);
            ByteBuffer.wrap(msg).order(ByteOrder.LITTLE_ENDIAN).putInt(0, 1); // type 1, three reserved zero bytes
            macs.addMacs(msg, System.nanoTime());
            out[i] = direct(msg);
        }
        return out;
    }

    /**
     * Random datagrams, their lengths spread over every size: half below 256 bytes, most of the
     * rest below 1500, one in 16 up to the UDP maximum; one in four with the header (type, zero
     * reserved bytes) and exact length of an initiation, response or cookie reply, or a transport
     * header, so that they pass classification and meet the message's own checks.
     */
    private static ByteBuffer[] randoms() {
        Random random = new Random(51820);
        int[] typed = {Protocol.INITIATION_LEN, Protocol.RESPONSE_LEN, Protocol.COOKIE_REPLY_LEN};
        ByteBuffer[] out = new ByteBuffer[DISTINCT];
        for (int i = 0; i < DISTINCT; i++) {
            int kind = random.nextInt(4);
            int len = switch (i % 16) {
                case 15 -> random.nextInt(65508);
                case 0, 1, 2, 3, 4, 5, 6 -> random.nextInt(1500);
                default -> random.nextInt(256);
            };
            boolean headed = i % 4 == 0;
            if (headed) len = kind < 3 ? typed[kind] : Math.max(len, Protocol.TRANSPORT_MIN_LEN);
            byte[] msg = new byte[len];
            random.nextBytes(msg);
            if (headed) ByteBuffer.wrap(msg).order(ByteOrder.LITTLE_ENDIAN).putInt(0, kind + 1); // types 1-4
            out[i] = direct(msg);
        }
        return out;
    }

    /** The transport messages of FILE, one hex datagram a line. */
    private static ByteBuffer[] replays(Path file) throws IOException {
        List<ByteBuffer> out = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            if (!line.isBlank()) out.add(direct(HexFormat.of().parseHex(line.strip())));
        }
        if (out.isEmpty()) throw new IOException(file + ": no transport messages to replay");
        return out.toArray(ByteBuffer[]::new);
    }

    private static ByteBuffer direct(byte[] msg) {
        return ByteBuffer.allocateDirect(msg.length).put(msg).flip();
    }
}
