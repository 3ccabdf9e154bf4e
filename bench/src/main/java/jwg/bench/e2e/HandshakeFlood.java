package jwg.bench.e2e;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.DatagramChannel;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import jwg.noise.Protocol;
import jwg.noise.cookie.CookieGenerator;

/**
 * A handshake flood for bench/e2e/flood-bench: initiations that carry a valid mac1 for the target's
 * public key (so each passes the first, cheap check and, unless the target is under load, costs it
 * a Diffie-Hellman) but are otherwise random, sent as fast as one thread can from several sockets
 * (source ports, and addresses if given), for a bounded time. It prints the rate it reached.
 *
 * <pre>java -cp bench/target/benchmarks.jar jwg.bench.e2e.HandshakeFlood PUBKEY HOST PORT SECONDS [LOCAL_ADDRESS...]</pre>
 *
 * Only for our own test namespaces: the target must be an address of the benchmark's.
 */
public final class HandshakeFlood {
    private static final int DISTINCT = 4096;
    private static final int SOCKETS_PER_ADDRESS = 16;

    public static void main(String[] args) throws Exception {
        if (args.length < 4) {
            System.err.println("usage: HandshakeFlood PUBKEY HOST PORT SECONDS [LOCAL_ADDRESS...]");
            System.exit(2);
        }
        byte[] target = Base64.getDecoder().decode(args[0]);
        InetSocketAddress to = new InetSocketAddress(InetAddress.getByName(args[1]), Integer.parseInt(args[2]));
        long seconds = Long.parseLong(args[3]);
        List<InetAddress> locals = new ArrayList<>();
        for (int i = 4; i < args.length; i++) locals.add(InetAddress.getByName(args[i]));
        if (locals.isEmpty()) locals.add(null);

        ByteBuffer[] messages = messages(target);
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
        long sent = 0, refused = 0;
        long start = System.nanoTime(), end = start + seconds * 1_000_000_000L;
        int s = 0;
        while (System.nanoTime() < end) {
            for (int i = 0; i < 256; i++) {
                ByteBuffer m = messages[(int) (sent % DISTINCT)];
                m.rewind();
                try {
                    if (sockets.get(s).write(m) > 0) sent++;
                    else refused++;
                } catch (java.io.IOException e) {
                    refused++; // ICMP port unreachable reported back, or a full buffer
                }
                s = (s + 1) % sockets.size();
            }
        }
        double secs = (System.nanoTime() - start) / 1e9;
        System.out.printf("flood: %d initiations in %.1f s (%.0f/s) from %d sockets; %d not sent%n",
                sent, secs, sent / secs, sockets.size(), refused);
        for (DatagramChannel c : sockets) c.close();
    }

    /** Initiations with random contents and a valid mac1 for target (mac2 zero: no cookie). */
    private static ByteBuffer[] messages(byte[] target) {
        SecureRandom random = new SecureRandom();
        CookieGenerator macs = new CookieGenerator(target);
        ByteBuffer[] out = new ByteBuffer[DISTINCT];
        for (int i = 0; i < DISTINCT; i++) {
            byte[] msg = new byte[Protocol.INITIATION_LEN];
            random.nextBytes(msg);
            ByteBuffer.wrap(msg).order(ByteOrder.LITTLE_ENDIAN).putInt(0, 1); // type 1, three reserved zero bytes
            macs.addMacs(msg, System.nanoTime());
            out[i] = ByteBuffer.allocateDirect(msg.length).put(msg).flip();
        }
        return out;
    }
}
