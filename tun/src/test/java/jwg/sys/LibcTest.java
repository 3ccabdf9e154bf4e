package jwg.sys;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import org.junit.jupiter.api.Test;

import static jwg.sys.LibcConstants.O_RDONLY;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LibcTest {
    @Test
    void failedCallsReturnMinusErrno() {
        assertEquals(-Errno.ENOENT, Libc.open("/nonexistent/jwg", O_RDONLY));
        assertEquals(-Errno.EBADF, Libc.close(-1));
        try (Arena arena = Arena.ofConfined()) {
            assertEquals(-Errno.EBADF, Libc.read(-1, arena.allocate(16), 0, 16));
        }
    }

    @Test
    void errnoIsPerThread() throws Exception {
        assertEquals(-Errno.ENOENT, Libc.open("/nonexistent/jwg", O_RDONLY));
        int[] other = new int[1];
        Thread t = Thread.ofPlatform().start(() -> other[0] = Libc.close(-1));
        t.join();
        assertEquals(-Errno.EBADF, other[0]);
        assertEquals(-Errno.ENOENT, Libc.open("/nonexistent/jwg", O_RDONLY));
    }

    @Test
    void checkThrowsWithCallAndName() {
        ErrnoException e = assertThrows(ErrnoException.class,
                () -> Errno.check(Libc.open("/nonexistent/jwg", O_RDONLY), "open(/nonexistent/jwg)"));
        assertEquals(Errno.ENOENT, e.errno());
        assertEquals("open(/nonexistent/jwg)", e.call());
        assertEquals("open(/nonexistent/jwg): ENOENT (No such file or directory)", e.getMessage());
        assertEquals(5, assertDoesNotThrow(() -> Errno.check(5, "x")));
    }

    @Test
    void errnoNames() {
        assertEquals("EAGAIN", Errno.name(Errno.EAGAIN));
        assertEquals("ENODEV", Errno.name(19));
        assertEquals("EADDRNOTAVAIL", Errno.name(99));
        assertEquals("ENOBUFS", Errno.name(105));
        assertEquals("EHWPOISON", Errno.name(133));
        assertEquals("errno 41", Errno.name(41));
        assertEquals("errno 9999", Errno.name(9999));
        assertTrue(Libc.strerror(Errno.EBUSY).contains("busy"));
    }

    @Test
    void readFillsExactlyTheGivenRegion() throws Exception {
        try (Arena arena = Arena.ofConfined()) {
            int fd = Errno.check(Libc.open("/dev/zero", O_RDONLY), "open(/dev/zero)");
            try {
                MemorySegment buf = arena.allocate(64).fill((byte) 7);
                assertEquals(16, Libc.read(fd, buf, 8, 16));
                assertEquals(7, buf.get(JAVA_BYTE, 7));
                assertEquals(0, buf.get(JAVA_BYTE, 8));
                assertEquals(0, buf.get(JAVA_BYTE, 23));
                assertEquals(7, buf.get(JAVA_BYTE, 24));
            } finally {
                Libc.close(fd);
            }
        }
    }
}
