package jwg.cli.uapi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import jwg.cli.testing.NetNs;
import jwg.datapath.DeviceState;
import jwg.datapath.DeviceUpdate;
import org.junit.jupiter.api.Test;

/** The socket file in /var/run/wireguard: mode, a stale file, a live one, and its deletion. */
class UapiServerTest {
    private static final UapiTarget IDLE = new UapiTarget() {
        @Override public DeviceState get() {
            return new DeviceState(Optional.empty(), 1, 0, List.of());
        }

        @Override public void set(DeviceUpdate update) {
        }
    };

    @Test
    void theSocketIs0600InA0755Directory() throws Exception {
        try (UapiServer s = UapiServer.start(NetNs.uniqueName("jwgs"), IDLE)) {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(s.path())));
            assertEquals("rwxr-xr-x", PosixFilePermissions.toString(Files.getPosixFilePermissions(UapiServer.DIRECTORY)));
        }
    }

    @Test
    void aStaleSocketIsReplacedAndALiveOneRefused() throws Exception {
        String name = NetNs.uniqueName("jwgs");
        Path path = UapiServer.socketPath(name);
        Files.createDirectories(path.getParent());
        ServerSocketChannel.open(StandardProtocolFamily.UNIX).bind(UnixDomainSocketAddress.of(path)).close(); // leaves the file
        assertTrue(Files.exists(path));
        try (UapiServer s = UapiServer.start(name, IDLE)) {
            IOException e = assertThrows(IOException.class, () -> UapiServer.start(name, IDLE));
            assertTrue(e.getMessage().contains("in use"), e.getMessage());
            assertTrue(Files.exists(s.path()), "the live socket is left alone");
        }
        assertFalse(Files.exists(path), "closing removes the socket file");
    }

    @Test
    void deletingTheSocketFileStopsTheServer() throws Exception {
        try (UapiServer s = UapiServer.start(NetNs.uniqueName("jwgs"), IDLE)) {
            assertFalse(s.stopped().isDone());
            Files.delete(s.path());
            assertTrue(s.stopped().get(5, TimeUnit.SECONDS).contains("removed"));
        }
    }

    @Test
    void anotherFileCreatedBesideItChangesNothing() throws Exception {
        try (UapiServer s = UapiServer.start(NetNs.uniqueName("jwgs"), IDLE);
             UapiServer other = UapiServer.start(NetNs.uniqueName("jwgs"), IDLE)) {
            Files.delete(other.path());
            assertTrue(other.stopped().get(5, TimeUnit.SECONDS).contains("removed"));
            Thread.sleep(200);
            assertFalse(s.stopped().isDone());
        }
    }
}
