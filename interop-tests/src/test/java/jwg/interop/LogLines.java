package jwg.interop;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import jwg.interop.fixture.JwgProcess;
import jwg.interop.fixture.Poll;

/** What jwg wrote to its log (stdout and stderr, {@link JwgProcess#log()}). */
final class LogLines {
    private LogLines() {
    }

    /** How jwg names a peer in its log: "peer(AbCd…WxYz)", first and last four base64 characters of the key. */
    static String peerName(String publicKeyBase64) {
        return "peer(" + publicKeyBase64.substring(0, 4) + "…" + publicKeyBase64.substring(39, 43) + ")";
    }

    /** The log line jwg writes when a handshake with the peer completes. */
    static String handshakeLine(String publicKeyBase64) {
        return peerName(publicKeyBase64) + ": handshake complete, session established";
    }

    static List<String> lines(Path log) {
        try {
            return Files.exists(log) ? Files.readAllLines(log, StandardCharsets.UTF_8) : List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<String> lines(JwgProcess jwg) {
        return lines(jwg.log());
    }

    /** Lines of the log containing {@code text}. */
    static long count(JwgProcess jwg, String text) {
        return lines(jwg).stream().filter(l -> l.contains(text)).count();
    }

    static boolean contains(JwgProcess jwg, String text) {
        return count(jwg, text) > 0;
    }

    /** Lines matching {@code regex} (find, not whole-line match). */
    static long countMatching(JwgProcess jwg, String regex) {
        Pattern p = Pattern.compile(regex);
        return lines(jwg).stream().filter(l -> p.matcher(l).find()).count();
    }

    /** Waits until the log has at least {@code n} lines containing {@code text}. */
    static void await(JwgProcess jwg, String text, long n, Duration timeout) {
        try {
            Poll.until(timeout, n + " line(s) with '" + text + "' in " + jwg.log(), () -> count(jwg, text) >= n);
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; log tail: " + jwg.logTail(800), e);
        }
    }

    static void await(JwgProcess jwg, String text, Duration timeout) {
        await(jwg, text, 1, timeout);
    }
}
