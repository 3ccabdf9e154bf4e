package jwg.datapath;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import jwg.noise.Protocol;
import jwg.testing.Packets;

/**
 * Fuzz target (for {@link DatapathFuzzTest}) of transport decryption on the real inbound path: two
 * devices back to back in memory ({@link BackToBack}) with a session; a sends a few packets whose
 * transport messages are caught on the way, and b receives them and mutations of them (bits of
 * the receiver index, counter, ciphertext or tag flipped, a counter or index set, the ciphertext
 * replaced by random bytes, cut short, extended), duplicated and reordered as data says. The model:
 * b delivers a message exactly when it is byte for byte one of the originals not delivered before,
 * and its peer's received bytes grow by that message alone. So a refused message may not mark its
 * counter in the replay window (the original with that counter would then be refused), nor count
 * as received, nor deliver anything.
 */
final class TransportFuzz {
    private TransportFuzz() {}

    private static BackToBack pair;
    private static int sequence;

    static void run(FuzzedDataProvider data) {
        BackToBack w = session();
        List<MemoryNet.Datagram> originals = new ArrayList<>();
        List<byte[]> plaintexts = new ArrayList<>();
        w.net.lose = d -> d.to().equals(w.b.address()) && originals.add(d);
        for (int n = data.consumeInt(1, 6); n > 0; n--) {
            byte[] p = Packets.icmpEcho(w.a.ip, w.b.ip, 7, ++sequence & 0xffff, new byte[data.consumeInt(0, 1400)]);
            plaintexts.add(p);
            w.a.send(p);
        }
        w.pump();
        w.net.lose = d -> false;
        assertEquals(plaintexts.size(), originals.size(), "one transport message per packet");

        boolean[] delivered = new boolean[originals.size()];
        for (int n = data.consumeInt(1, 12); n > 0; n--) {
            int i = data.consumeInt(0, originals.size() - 1);
            byte[] m = data.consumeBoolean() ? originals.get(i).bytes() : mutate(originals.get(i).bytes(), data);
            int match = indexOf(originals, m);
            boolean expected = match >= 0 && !delivered[match];
            long rx = w.b.peer().rxBytes();
            int before = w.b.delivered.size();
            w.net.inject(new MemoryNet.Datagram(originals.get(i).from(), originals.get(i).to(), m));
            w.pump();
            assertEquals(before + (expected ? 1 : 0), w.b.delivered.size(), "delivered exactly the originals, once each");
            assertEquals(rx + (expected ? m.length : 0), w.b.peer().rxBytes(), "only an accepted message counts as received");
            if (expected) {
                delivered[match] = true;
                assertArrayEquals(plaintexts.get(match), w.b.delivered.getLast());
            }
        }
        for (int i = 0; i < originals.size(); i++) { // what was refused left the window alone
            if (delivered[i]) continue;
            int before = w.b.delivered.size();
            w.net.inject(originals.get(i));
            w.pump();
            assertEquals(before + 1, w.b.delivered.size(), "an original after refused mutations of it is still accepted");
        }
        w.b.delivered.clear();
    }

    /** The two devices with a session, made once. */
    private static BackToBack session() {
        if (pair != null) return pair;
        try {
            pair = new BackToBack();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        pair.a.send(Packets.icmpEcho(pair.a.ip, pair.b.ip, 7, 0, new byte[8]));
        pair.pump(); // initiation, response, the staged packet
        assertEquals(1, pair.b.delivered.size(), "the session is up");
        pair.b.delivered.clear();
        return pair;
    }

    private static int indexOf(List<MemoryNet.Datagram> originals, byte[] m) {
        for (int i = 0; i < originals.size(); i++) {
            if (Arrays.equals(originals.get(i).bytes(), m)) return i;
        }
        return -1;
    }

    private static byte[] mutate(byte[] original, FuzzedDataProvider data) {
        byte[] m = original.clone();
        ByteBuffer b = ByteBuffer.wrap(m).order(ByteOrder.LITTLE_ENDIAN);
        switch (data.consumeInt(0, 5)) {
            case 0 -> b.putInt(4, data.consumeInt()); // receiver index
            case 1 -> b.putLong(8, data.consumeBoolean() ? data.consumeLong() : b.getLong(8) + data.consumeInt(-8200, 8200));
            case 2 -> { // random ciphertext and tag under a valid header
                byte[] r = data.consumeBytes(m.length - Protocol.TRANSPORT_HEADER_LEN);
                System.arraycopy(r, 0, m, Protocol.TRANSPORT_HEADER_LEN, r.length);
            }
            case 3 -> {
                return Arrays.copyOf(m, data.consumeInt(0, m.length));
            }
            case 4 -> {
                return Arrays.copyOf(m, m.length + data.consumeInt(1, 64));
            }
            default -> {
                for (int n = data.consumeInt(1, 3); n > 0; n--) m[data.consumeInt(0, m.length - 1)] ^= (byte) (1 << data.consumeInt(0, 7));
            }
        }
        return m;
    }
}
