package jwg.cli;

import static jwg.sys.LibcConstants.AF_UNIX;
import static jwg.sys.LibcConstants.SOCK_CLOEXEC;
import static jwg.sys.LibcConstants.SOCK_DGRAM;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;
import jwg.sys.Libc;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** sd_notify's datagrams arrive at a socket bound as systemd binds its notify socket: a path, or an abstract name. */
class SdNotifyTest {
    /** A datagram socket bound to name (a path, or "@..." for the abstract namespace), as systemd's. */
    static int bound(Arena arena, String name) {
        int fd = Libc.socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        assertTrue(fd >= 0);
        byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
        boolean abstractName = bytes[0] == '@';
        if (abstractName) bytes[0] = 0;
        MemorySegment address = arena.allocate(2 + bytes.length + (abstractName ? 0 : 1));
        address.set(ValueLayout.JAVA_SHORT, 0, (short) AF_UNIX);
        MemorySegment.copy(bytes, 0, address, ValueLayout.JAVA_BYTE, 2, bytes.length);
        assertEquals(0, Libc.bind(fd, address), "bind " + name);
        return fd;
    }

    /** The datagram waiting on fd, or null. */
    static String poll(Arena arena, int fd) {
        MemorySegment buffer = arena.allocate(4096);
        int n = Libc.recv(fd, buffer, 0, 4096, 0x40 /* MSG_DONTWAIT */);
        return n > 0 ? new String(buffer.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE), StandardCharsets.UTF_8) : null;
    }

    /** The first datagram to arrive on fd within 30 s (the process's stderr, at stderr, in the failure's message). */
    static String await(Arena arena, int fd, Path stderr) throws Exception {
        String[] message = {null};
        assertTrue(jwg.cli.testing.Processes.await(30_000, () -> (message[0] = poll(arena, fd)) != null),
                "a notification: " + java.nio.file.Files.readString(stderr));
        return message[0];
    }

    private static String receive(Arena arena, int fd) {
        MemorySegment buffer = arena.allocate(4096);
        int n = Libc.recv(fd, buffer, 0, 4096, 0x40 /* MSG_DONTWAIT */);
        assertTrue(n > 0, "a datagram waits: " + n);
        return new String(buffer.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE), StandardCharsets.UTF_8);
    }

    @Test
    void toAPath(@TempDir Path dir) {
        try (Arena arena = Arena.ofConfined()) {
            String path = dir.resolve("notify").toString();
            int fd = bound(arena, path);
            try {
                assertTrue(SdNotify.send(path, "READY=1\nSTATUS=wg0 is up"));
                assertEquals("READY=1\nSTATUS=wg0 is up", receive(arena, fd));
            } finally {
                Libc.close(fd);
            }
        }
    }

    @Test
    void toAnAbstractName() {
        try (Arena arena = Arena.ofConfined()) {
            String name = "@jwg-notify-test-" + ThreadLocalRandom.current().nextInt(1 << 30);
            int fd = bound(arena, name);
            try {
                assertTrue(SdNotify.send(name, "STOPPING=1"));
                assertEquals("STOPPING=1", receive(arena, fd));
            } finally {
                Libc.close(fd);
            }
        }
    }

    @Test
    void withoutASocketNothingIsSentAndAFailureIsNotFatal(@TempDir Path dir) {
        assertFalse(SdNotify.send(null, "READY=1"));
        assertFalse(SdNotify.send("", "READY=1"));
        assertFalse(SdNotify.send("relative/path", "READY=1"));
        assertFalse(SdNotify.send(dir.resolve("nobody-listens").toString(), "READY=1"));
    }
}
