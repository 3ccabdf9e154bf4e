package jwg.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link OsslParam} against OpenSSL's own header: a C program printing sizeof, offsetof and the
 * constants, compiled with gcc against the system's &lt;openssl/core.h&gt; (libssl-dev; .ci/run
 * installs it) and run here.
 */
class OsslParamTest {
    @TempDir
    Path dir;

    @Test
    void layoutMatchesOpenSslsHeader() throws Exception {
        Map<String, Long> ours = new LinkedHashMap<>();
        ours.put("sizeof(OSSL_PARAM)", OsslParam.SIZE);
        ours.put("offsetof(OSSL_PARAM, key)", OsslParam.KEY);
        ours.put("offsetof(OSSL_PARAM, data_type)", OsslParam.DATA_TYPE);
        ours.put("offsetof(OSSL_PARAM, data)", OsslParam.DATA);
        ours.put("offsetof(OSSL_PARAM, data_size)", OsslParam.DATA_SIZE);
        ours.put("offsetof(OSSL_PARAM, return_size)", OsslParam.RETURN_SIZE);
        ours.put("OSSL_PARAM_OCTET_STRING", (long) OsslParam.OCTET_STRING);
        ours.put("OSSL_PARAM_UNMODIFIED", OsslParam.UNMODIFIED);

        StringBuilder c = new StringBuilder("#include <stddef.h>\n#include <stdio.h>\n#include <openssl/core.h>\n"
                + "#include <openssl/params.h>\nint main(void) {\n");
        for (String e : ours.keySet()) c.append("    printf(\"%lld\\n\", (long long) (").append(e).append("));\n");
        c.append("    return 0;\n}\n");
        Path source = dir.resolve("param.c"), binary = dir.resolve("param");
        Files.writeString(source, c);
        String[] lines = run("gcc", "-o", binary.toString(), source.toString()).isEmpty() ? run(binary.toString()).split("\n") : null;
        Map<String, Long> theirs = new LinkedHashMap<>();
        int i = 0;
        for (String e : ours.keySet()) theirs.put(e, Long.parseLong(lines[i++].strip()));
        assertEquals(ours, theirs);
    }

    private static String run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), String.join(" ", command) + ": " + out);
        return out;
    }
}
