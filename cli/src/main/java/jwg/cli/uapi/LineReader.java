package jwg.cli.uapi;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Lines of the configuration protocol from a channel, each at most a bounded length (the longest
 * valid line is under 100 bytes). Bytes are read as ISO-8859-1: anything not ASCII then fails to
 * parse as a key or value. Counts the bytes consumed, so that a request's size can be bounded.
 */
final class LineReader {
    private final ReadableByteChannel in;
    private final int maxLine;
    private final ByteBuffer buffer = ByteBuffer.allocate(8192).flip();
    private final byte[] line;
    private long consumed;

    LineReader(ReadableByteChannel in, int maxLine) {
        this.in = in;
        this.maxLine = maxLine;
        this.line = new byte[maxLine];
    }

    /**
     * The next line without its '\n'; at the end of the stream the unterminated rest if there is
     * one, else null.
     *
     * @throws UapiException EIO if the line is longer than the limit
     */
    String readLine() throws IOException, UapiException {
        int n = 0;
        for (;;) {
            if (!buffer.hasRemaining()) {
                buffer.clear();
                int r = in.read(buffer);
                buffer.flip();
                if (r < 0) return n == 0 ? null : text(n);
            }
            byte b = buffer.get();
            consumed++;
            if (b == '\n') return text(n);
            if (n == maxLine) {
                Arrays.fill(line, (byte) 0);
                throw UapiException.io("a line longer than " + maxLine + " bytes");
            }
            line[n++] = b;
        }
    }

    /** Bytes consumed so far, line ends included. */
    long consumed() {
        return consumed;
    }

    private String text(int n) {
        String s = new String(line, 0, n, StandardCharsets.ISO_8859_1);
        Arrays.fill(line, 0, n, (byte) 0); // key material passes through here
        return s;
    }
}
