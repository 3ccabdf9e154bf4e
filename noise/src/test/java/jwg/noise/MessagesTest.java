package jwg.noise;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

class MessagesTest {
    private static byte[] filled(int len, int start) {
        byte[] b = new byte[len];
        for (int i = 0; i < len; i++) b[i] = (byte) (start + i);
        return b;
    }

    private static Initiation initiation() {
        return new Initiation(0x11223344, filled(32, 1), filled(48, 2), filled(28, 3), filled(16, 4), filled(16, 5));
    }

    private static Response response() {
        return new Response(0x55667788, 0x99aabbcc, filled(32, 6), filled(16, 7), filled(16, 8), filled(16, 9));
    }

    private static CookieReply cookieReply() {
        return new CookieReply(0xddeeff00, filled(24, 10), filled(32, 11));
    }

    @Test
    void initiationLayoutIsExact() {
        byte[] m = initiation().encode();
        assertEquals(148, m.length);
        assertArrayEquals(new byte[] {1, 0, 0, 0}, slice(m, 0, 4));
        assertArrayEquals(new byte[] {0x44, 0x33, 0x22, 0x11}, slice(m, 4, 4), "sender little-endian");
        assertArrayEquals(filled(32, 1), slice(m, 8, 32));
        assertArrayEquals(filled(48, 2), slice(m, 40, 48));
        assertArrayEquals(filled(28, 3), slice(m, 88, 28));
        assertArrayEquals(filled(16, 4), slice(m, 116, 16));
        assertArrayEquals(filled(16, 5), slice(m, 132, 16));
        assertEquals(initiation(), Messages.parseHandshake(m).value());
    }

    @Test
    void responseLayoutIsExact() {
        byte[] m = response().encode();
        assertEquals(92, m.length);
        assertArrayEquals(new byte[] {2, 0, 0, 0}, slice(m, 0, 4));
        assertArrayEquals(new byte[] {(byte) 0x88, 0x77, 0x66, 0x55}, slice(m, 4, 4));
        assertArrayEquals(new byte[] {(byte) 0xcc, (byte) 0xbb, (byte) 0xaa, (byte) 0x99}, slice(m, 8, 4));
        assertArrayEquals(filled(32, 6), slice(m, 12, 32));
        assertArrayEquals(filled(16, 7), slice(m, 44, 16));
        assertArrayEquals(filled(16, 8), slice(m, 60, 16));
        assertArrayEquals(filled(16, 9), slice(m, 76, 16));
        assertEquals(response(), Messages.parseHandshake(m).value());
    }

    @Test
    void cookieReplyLayoutIsExact() {
        byte[] m = cookieReply().encode();
        assertEquals(64, m.length);
        assertArrayEquals(new byte[] {3, 0, 0, 0}, slice(m, 0, 4));
        assertArrayEquals(new byte[] {0, (byte) 0xff, (byte) 0xee, (byte) 0xdd}, slice(m, 4, 4));
        assertArrayEquals(filled(24, 10), slice(m, 8, 24));
        assertArrayEquals(filled(32, 11), slice(m, 32, 32));
        assertEquals(cookieReply(), Messages.parseHandshake(m).value());
    }

    @Test
    void recordsCompareByContentAndHideBytes() {
        assertEquals(initiation(), initiation());
        assertEquals(initiation().hashCode(), initiation().hashCode());
        Initiation other = new Initiation(0x11223344, filled(32, 1), filled(48, 2), filled(28, 3), filled(16, 4), filled(16, 6));
        assertNotEquals(initiation(), other);
        assertEquals("Initiation[sender=11223344]", initiation().toString());
        assertEquals("Response[sender=55667788, receiver=99aabbcc]", response().toString());
        assertEquals("CookieReply[receiver=ddeeff00]", cookieReply().toString());
        assertThrows(IllegalArgumentException.class, () -> new CookieReply(1, new byte[23], new byte[32]));
    }

    @Test
    void classifiesEachTypeByExactLength() {
        assertEquals(MessageType.INITIATION, Messages.classify(initiation().encode()));
        assertEquals(MessageType.RESPONSE, Messages.classify(response().encode()));
        assertEquals(MessageType.COOKIE_REPLY, Messages.classify(cookieReply().encode()));
        assertEquals(MessageType.TRANSPORT, Messages.classify(transport(32)));
        assertEquals(MessageType.TRANSPORT, Messages.classify(transport(Protocol.MAX_MESSAGE_LEN)));
        assertEquals(DropReason.INVALID_LENGTH, Messages.classify(transport(31)));
        assertEquals(DropReason.OVERSIZED, Messages.classify(transport(Protocol.MAX_MESSAGE_LEN + 1)));
        assertEquals(DropReason.INVALID_LENGTH, Messages.classify(typed(1, 147)));
        assertEquals(DropReason.INVALID_LENGTH, Messages.classify(typed(1, 149)));
        assertEquals(DropReason.INVALID_LENGTH, Messages.classify(typed(2, 91)));
        assertEquals(DropReason.INVALID_LENGTH, Messages.classify(typed(2, 93)));
        assertEquals(DropReason.INVALID_LENGTH, Messages.classify(typed(3, 63)));
        assertEquals(DropReason.INVALID_LENGTH, Messages.classify(typed(3, 65)));
        assertEquals(DropReason.TRUNCATED, Messages.classify(new byte[3]));
        assertEquals(DropReason.TRUNCATED, Messages.classify(new byte[0]));
        assertEquals(DropReason.UNKNOWN_TYPE, Messages.classify(typed(0, 148)));
        assertEquals(DropReason.UNKNOWN_TYPE, Messages.classify(typed(5, 148)));
        assertEquals(DropReason.UNKNOWN_TYPE, Messages.classify(typed(0x81, 148)));
        for (int i = 1; i < 4; i++) {
            byte[] m = initiation().encode();
            m[i] = 1;
            assertEquals(DropReason.RESERVED_NONZERO, Messages.classify(m), "reserved byte " + i);
            assertEquals(DropReason.RESERVED_NONZERO, Messages.parseHandshake(m).dropReason());
        }
        assertEquals(DropReason.NOT_HANDSHAKE, Messages.parseHandshake(transport(48)).dropReason());
    }

    @Test
    void classifyLooksOnlyAtPositionToLimitAndChangesNothing() {
        byte[] m = initiation().encode();
        ByteBuffer buf = ByteBuffer.allocateDirect(200);
        buf.position(10);
        buf.put(m);
        buf.flip().position(10);
        assertEquals(MessageType.INITIATION, Messages.classify(buf));
        assertEquals(10, buf.position());
        assertEquals(158, buf.limit());
        assertEquals(initiation(), Messages.parseHandshake(buf).value());
        assertEquals(10, buf.position());
    }

    @Test
    void randomInputNeverThrows() {
        SplittableRandom rnd = new SplittableRandom(42);
        int[] interesting = {0, 1, 3, 4, 16, 31, 32, 33, 63, 64, 65, 91, 92, 93, 147, 148, 149, 1500, 65535, 65536, 70000};
        for (int round = 0; round < 20_000; round++) {
            int len = rnd.nextBoolean() ? interesting[rnd.nextInt(interesting.length)] : rnd.nextInt(300);
            byte[] m = new byte[len];
            rnd.nextBytes(m);
            if (len >= 4 && rnd.nextInt(4) > 0) {
                m[0] = (byte) rnd.nextInt(6);
                if (rnd.nextBoolean()) m[1] = m[2] = m[3] = 0;
            }
            Classification c = Messages.classify(m);
            Result<Message> parsed = Messages.parseHandshake(m);
            assertNotNull(c);
            switch (c) {
                case DropReason r -> assertEquals(r, parsed.dropReason());
                case MessageType.TRANSPORT -> assertEquals(DropReason.NOT_HANDSHAKE, parsed.dropReason());
                case MessageType t -> {
                    assertEquals(t, parsed.value().type());
                    assertArrayEquals(m, parsed.value().encode(), "parse/encode round trip");
                }
            }
        }
    }

    private static byte[] typed(int type, int len) {
        byte[] m = new byte[len];
        m[0] = (byte) type;
        return m;
    }

    private static byte[] transport(int len) {
        return typed(4, len);
    }

    private static byte[] slice(byte[] a, int off, int len) {
        byte[] out = new byte[len];
        System.arraycopy(a, off, out, 0, len);
        return out;
    }

    @Test
    void readsTransportHeaderInAnyByteOrder() {
        for (ByteOrder order : new ByteOrder[] {ByteOrder.BIG_ENDIAN, ByteOrder.LITTLE_ENDIAN}) {
            ByteBuffer buf = ByteBuffer.allocate(64).order(order);
            Transport.writeHeader(buf, 3, 0xcafebabe, 0x0102030405060708L);
            assertEquals(4, buf.get(3));
            assertEquals(0, buf.get(4) | buf.get(5) | buf.get(6));
            assertEquals((byte) 0xbe, buf.get(7), "receiver little-endian");
            assertEquals(0x08, buf.get(11), "counter little-endian");
            assertEquals(0x01, buf.get(18));
            assertEquals(0xcafebabe, Transport.receiverIndex(buf, 3));
            assertEquals(0x0102030405060708L, Transport.counter(buf, 3));
            assertEquals(0, buf.position());
            buf.position(3);
            assertEquals(MessageType.TRANSPORT, Messages.classify(buf.limit(3 + 32)));
        }
    }
}
