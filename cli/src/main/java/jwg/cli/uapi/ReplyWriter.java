package jwg.cli.uapi;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A reply to the client, ASCII, sent in pieces of {@link #CAPACITY} bytes as it is made: a `get`
 * of 100,000 peers is ~30 MB of text, which is never held whole (wireguard-go's IpcGetOperation
 * streams it too). Each piece is wiped once sent, since a reply holds keys.
 */
final class ReplyWriter implements Appendable {
    static final int CAPACITY = 16 << 10;

    private final WritableByteChannel channel;
    private final ByteBuffer buffer = ByteBuffer.allocate(CAPACITY);

    ReplyWriter(WritableByteChannel channel) {
        this.channel = channel;
    }

    @Override
    public ReplyWriter append(char c) throws IOException {
        if (!buffer.hasRemaining()) flush();
        buffer.put((byte) c);
        return this;
    }

    /** Strings (every line of a reply is made of them) go in whole: a dump of 10,000 peers is ~4 million characters. */
    @Override
    public ReplyWriter append(CharSequence s) throws IOException {
        if (!(s instanceof String string)) return append(s, 0, s.length());
        byte[] bytes = string.getBytes(StandardCharsets.ISO_8859_1); // the protocol is ASCII
        for (int off = 0; off < bytes.length; ) {
            if (!buffer.hasRemaining()) flush();
            int n = Math.min(buffer.remaining(), bytes.length - off);
            buffer.put(bytes, off, n);
            off += n;
        }
        Arrays.fill(bytes, (byte) 0); // it may be a key
        return this;
    }

    @Override
    public ReplyWriter append(CharSequence s, int start, int end) throws IOException {
        for (int i = start; i < end; i++) append(s.charAt(i));
        return this;
    }

    /** Sends what is buffered and wipes it. */
    void flush() throws IOException {
        buffer.flip();
        try {
            while (buffer.hasRemaining()) channel.write(buffer);
        } finally {
            wipe();
        }
    }

    /** Forgets what is buffered, unsent (after a failure). */
    void wipe() {
        Arrays.fill(buffer.array(), (byte) 0);
        buffer.clear();
    }
}
