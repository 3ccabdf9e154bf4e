package jwg.cli.uapi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ReplyWriterTest {
    /** Collects what is written, a few bytes per write call, as a slow socket takes it. */
    private static final class Collecting implements WritableByteChannel {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int calls;

        @Override public int write(ByteBuffer src) {
            calls++;
            int n = Math.min(src.remaining(), 1000);
            for (int i = 0; i < n; i++) bytes.write(src.get());
            return n;
        }

        @Override public boolean isOpen() { return true; }

        @Override public void close() {}
    }

    @Test
    void aReplyLargerThanItsBufferArrivesWholeAndInOrder() throws Exception {
        Collecting channel = new Collecting();
        ReplyWriter out = new ReplyWriter(channel);
        StringBuilder expected = new StringBuilder();
        for (int i = 0; i < 5000; i++) {
            String line = "allowed_ip=10.0." + (i / 256) + "." + (i % 256) + "/32\n";
            out.append(line);
            expected.append(line);
        }
        out.append('\n');
        expected.append('\n');
        out.flush();
        assertArrayEquals(expected.toString().getBytes(StandardCharsets.US_ASCII), channel.bytes.toByteArray());
        assertEquals(true, expected.length() > 4 * ReplyWriter.CAPACITY, "several buffers' worth");
    }

    @Test
    void aStringLongerThanTheBufferAndOneAcrossItsEndArriveWhole() throws Exception {
        Collecting channel = new Collecting();
        ReplyWriter out = new ReplyWriter(channel);
        String head = "x".repeat(ReplyWriter.CAPACITY - 3);
        String across = "public_key=" + "ab".repeat(32) + "\n";
        String huge = "y".repeat(3 * ReplyWriter.CAPACITY + 5);
        StringBuilder tail = new StringBuilder("endpoint=192.0.2.1:51820\n"); // not a String: the character path
        out.append(head).append(across).append(huge).append(tail);
        out.flush();
        assertEquals(head + across + huge + tail, channel.bytes.toString(StandardCharsets.US_ASCII));
    }

    @Test
    void whatWasSentIsWipedFromTheBuffer() throws Exception {
        Collecting channel = new Collecting();
        ReplyWriter out = new ReplyWriter(channel);
        out.append("private_key=00112233\n");
        out.flush();
        java.lang.reflect.Field f = ReplyWriter.class.getDeclaredField("buffer");
        f.setAccessible(true);
        ByteBuffer buffer = (ByteBuffer) f.get(out);
        for (byte b : buffer.array()) assertEquals(0, b);
    }
}
