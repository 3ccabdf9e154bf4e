package jwg.sys;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every size and offset of {@link Structs} against the system's C headers: a C program that prints
 * sizeof and offsetof for each, compiled with gcc and run here. Needs gcc and the libc headers
 * (.ci/run installs them).
 */
class StructsTest {
    @TempDir
    Path dir;

    @Test
    void layoutsMatchTheCHeaders() throws Exception {
        Map<String, Long> ours = new LinkedHashMap<>();
        ours.put("sizeof(struct iovec)", Structs.IOVEC_SIZE);
        ours.put("offsetof(struct iovec, iov_base)", Structs.IOV_BASE);
        ours.put("offsetof(struct iovec, iov_len)", Structs.IOV_LEN);
        ours.put("sizeof(struct msghdr)", Structs.MSGHDR_SIZE);
        ours.put("offsetof(struct msghdr, msg_name)", Structs.MSG_NAME);
        ours.put("offsetof(struct msghdr, msg_namelen)", Structs.MSG_NAMELEN);
        ours.put("offsetof(struct msghdr, msg_iov)", Structs.MSG_IOV);
        ours.put("offsetof(struct msghdr, msg_iovlen)", Structs.MSG_IOVLEN);
        ours.put("offsetof(struct msghdr, msg_control)", Structs.MSG_CONTROL);
        ours.put("offsetof(struct msghdr, msg_controllen)", Structs.MSG_CONTROLLEN);
        ours.put("offsetof(struct msghdr, msg_flags)", Structs.MSG_FLAGS);
        ours.put("sizeof(struct mmsghdr)", Structs.MMSGHDR_SIZE);
        ours.put("offsetof(struct mmsghdr, msg_hdr)", 0L);
        ours.put("offsetof(struct mmsghdr, msg_len)", Structs.MSG_LEN);
        ours.put("sizeof(struct cmsghdr)", Structs.CMSGHDR.byteSize());
        ours.put("offsetof(struct cmsghdr, cmsg_level)", Structs.CMSG_LEVEL);
        ours.put("offsetof(struct cmsghdr, cmsg_type)", Structs.CMSG_TYPE);
        ours.put("CMSG_LEN(0)", Structs.cmsgLen(0));
        ours.put("CMSG_LEN(2)", Structs.cmsgLen(2));
        ours.put("CMSG_LEN(20)", Structs.cmsgLen(20));
        ours.put("CMSG_SPACE(2)", Structs.cmsgSpace(2));
        ours.put("CMSG_SPACE(4)", Structs.cmsgSpace(4));
        ours.put("CMSG_SPACE(12)", Structs.cmsgSpace(12));
        ours.put("CMSG_SPACE(20)", Structs.cmsgSpace(20));
        ours.put("sizeof(struct in6_pktinfo)", Structs.IN6_PKTINFO_SIZE);
        ours.put("offsetof(struct in6_pktinfo, ipi6_addr)", Structs.IPI6_ADDR);
        ours.put("offsetof(struct in6_pktinfo, ipi6_ifindex)", Structs.IPI6_IFINDEX);
        ours.put("sizeof(struct in_pktinfo)", Structs.IN_PKTINFO_SIZE);
        ours.put("offsetof(struct in_pktinfo, ipi_ifindex)", Structs.IPI_IFINDEX);
        ours.put("offsetof(struct in_pktinfo, ipi_spec_dst)", Structs.IPI_SPEC_DST);
        ours.put("offsetof(struct in_pktinfo, ipi_addr)", Structs.IPI_ADDR);
        ours.put("sizeof(struct sockaddr_in6)", Structs.SOCKADDR_IN6_SIZE);
        ours.put("offsetof(struct sockaddr_in6, sin6_port)", Structs.SOCKADDR_IN6.byteOffset(
                java.lang.foreign.MemoryLayout.PathElement.groupElement("sin6_port")));
        ours.put("offsetof(struct sockaddr_in6, sin6_addr)", Structs.SOCKADDR_IN6.byteOffset(
                java.lang.foreign.MemoryLayout.PathElement.groupElement("sin6_addr")));
        ours.put("offsetof(struct sockaddr_in6, sin6_scope_id)", Structs.SOCKADDR_IN6.byteOffset(
                java.lang.foreign.MemoryLayout.PathElement.groupElement("sin6_scope_id")));

        assertEquals(ours, cValues(ours.keySet().toArray(String[]::new)));
    }

    /** What the C compiler makes of each expression (all of them sizes), with the socket headers included. */
    private Map<String, Long> cValues(String[] expressions) throws IOException, InterruptedException {
        StringBuilder c = new StringBuilder("""
                #define _GNU_SOURCE
                #include <stddef.h>
                #include <stdio.h>
                #include <sys/socket.h>
                #include <sys/uio.h>
                #include <netinet/in.h>
                int main(void) {
                """);
        for (String e : expressions) c.append("    printf(\"%zu\\n\", (size_t) (").append(e).append("));\n");
        c.append("    return 0;\n}\n");
        Path source = dir.resolve("structs.c"), binary = dir.resolve("structs");
        Files.writeString(source, c);
        run("gcc", "-o", binary.toString(), source.toString());
        String[] lines = run(binary.toString()).split("\n");
        Map<String, Long> values = new LinkedHashMap<>();
        for (int i = 0; i < expressions.length; i++) values.put(expressions[i], Long.parseLong(lines[i].strip()));
        return values;
    }

    private static String run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), String.join(" ", command) + ": " + out);
        return out;
    }
}
