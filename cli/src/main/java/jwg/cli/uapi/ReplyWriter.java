package jwg.cli.uapi;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
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

    @Override
    public ReplyWriter append(CharSequence s) throws IOException {
        return append(s, 0, s.length());
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
