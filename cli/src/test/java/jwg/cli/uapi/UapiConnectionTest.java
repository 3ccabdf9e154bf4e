package jwg.cli.uapi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import jwg.datapath.DeviceState;
import jwg.datapath.DeviceUpdate;
import jwg.datapath.SocketSetupException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** One client connection against a stand-in device: requests in a row, replies and errno codes. */
class UapiConnectionTest {
    private final List<DeviceUpdate> applied = new ArrayList<>();
    private IOException failure;
    private Path dir;
    private SocketChannel client;
    private Thread server;

    private final UapiTarget target = new UapiTarget() {
        @Override public DeviceState get() {
            return new DeviceState(Optional.empty(), 1234, 0, List.of());
        }

        @Override public void set(DeviceUpdate update) throws IOException {
            if (failure != null) throw failure;
            applied.add(update);
        }
    };

    @BeforeEach
    void connect() throws Exception {
        dir = Files.createTempDirectory("jwg-uapi");
        UnixDomainSocketAddress address = UnixDomainSocketAddress.of(dir.resolve("t.sock"));
        try (ServerSocketChannel listener = ServerSocketChannel.open(StandardProtocolFamily.UNIX).bind(address)) {
            client = SocketChannel.open(address);
            server = Thread.ofVirtual().start(new UapiConnection(listener.accept(), target, "test"));
        }
    }

    @AfterEach
    void close() throws Exception {
        client.close();
        server.join(5000);
        Files.deleteIfExists(dir.resolve("t.sock"));
        Files.delete(dir);
    }

    @Test
    void getAndSetInARowOnOneConnection() throws Exception {
        assertEquals("listen_port=1234\nerrno=0\n\n", exchange("get=1\n\n"));
        assertEquals("errno=0\n\n", exchange("set=1\nlisten_port=4321\n\n"));
        assertEquals("listen_port=1234\nerrno=0\n\n", exchange("get=1\n\n"));
        assertEquals(1, applied.size());
        assertEquals(4321, applied.getFirst().listenPort().getAsInt());
    }

    @Test
    void aSetWithOneBadLineAppliesNothingAndTheConnectionGoesOn() throws Exception {
        assertEquals("errno=-22\n\n", exchange("set=1\nlisten_port=1\npublic_key=" + SetParserTest.K1 + "\nendpoint=nowhere\nallowed_ip=10.0.0.0/8\n\n"));
        assertTrue(applied.isEmpty());
        assertEquals("errno=-71\n\n", exchange("set=1\nreplace_peers=true\nnonsense\n\n"));
        assertTrue(applied.isEmpty());
        assertEquals("errno=0\n\n", exchange("set=1\nreplace_peers=true\n\n"));
        assertEquals(1, applied.size());
    }

    @Test
    void aPortInUseIsEaddrinuseAndOtherFailuresEio() throws Exception {
        failure = new SocketSetupException("cannot listen on UDP port 1: Address already in use", null);
        assertEquals("errno=-98\n\n", exchange("set=1\nlisten_port=1\n\n"));
        failure = new IOException("device closed");
        assertEquals("errno=-5\n\n", exchange("set=1\nlisten_port=1\n\n"));
    }

    @Test
    void getMustEndWithAnEmptyLine() throws Exception {
        assertEquals("errno=-22\n\n", exchange("get=1\nx\n"));
        assertEquals("listen_port=1234\nerrno=0\n\n", exchange("get=1\n\n"));
    }

    @Test
    void anUnknownOperationClosesTheConnectionWithoutReply() throws Exception {
        assertEquals("", exchange("get=2\n\n"));
    }

    @Test
    void aLineTooLongIsEioAndTheEnd() throws Exception {
        assertEquals("errno=-5\n\n", exchange("set=1\nlisten_port=" + "1".repeat(UapiConnection.MAX_LINE) + "\n\n"));
        assertEquals("", readReply());
    }

    @Test
    void aSetEndedByTheEndOfTheStreamIsApplied() throws Exception {
        write("set=1\nlisten_port=7");
        client.shutdownOutput();
        assertEquals("errno=0\n\n", readReply());
        assertEquals(7, applied.getFirst().listenPort().getAsInt());
    }

    @Test
    void aSetLargerThanTheLimitIsRefused() throws Exception {
        Thread writer = Thread.ofVirtual().start(() -> {
            try {
                write("set=1\n");
                byte[] line = ("public_key=" + SetParserTest.K1 + "\n").getBytes(StandardCharsets.US_ASCII);
                for (long n = 0; n <= UapiLimits.MAX_SET_BYTES; n += line.length) write(line);
            } catch (IOException e) {
                // the server stopped reading
            }
        });
        assertEquals("errno=-5\n\n", readReply());
        assertTrue(applied.isEmpty());
        client.close();
        writer.join(10_000);
    }

    private String exchange(String request) throws IOException {
        write(request);
        return readReply();
    }

    private void write(String s) throws IOException {
        write(s.getBytes(StandardCharsets.US_ASCII));
    }

    private void write(byte[] b) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(b);
        while (buf.hasRemaining()) client.write(buf);
    }

    /** Up to and including the first empty line, or what came before the end of the stream. */
    private String readReply() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteBuffer one = ByteBuffer.allocate(1);
        while (!out.toString(StandardCharsets.US_ASCII).endsWith("\n\n")) {
            one.clear();
            if (client.read(one) < 0) break;
            out.write(one.array()[0]);
        }
        return out.toString(StandardCharsets.US_ASCII);
    }
}
