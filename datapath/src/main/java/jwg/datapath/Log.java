package jwg.datapath;

import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.Base64;

/**
 * Concise log lines on standard error. Never given key material: peers are named by an
 * abbreviation of their public key, as wireguard-go does.
 */
public final class Log {
    private Log() {}

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS");
    private static volatile boolean verbose = Boolean.getBoolean("jwg.verbose");
    private static volatile boolean quiet;

    public static void setVerbose(boolean on) {
        verbose = on;
    }

    /** Drops the info lines unless verbose: `jwg up` prints only wg-quick's lines and errors, as wg-quick does. */
    public static void setQuiet(boolean on) {
        quiet = on;
    }

    public static void info(String message) {
        if (quiet && !verbose) return;
        System.err.println(TIME.format(LocalTime.now()) + " " + message);
    }

    public static void debug(String message) {
        if (verbose) info(message);
    }

    public static boolean isDebug() {
        return verbose;
    }

    /** "peer(AbCd…WxYz)": the first and last four base64 characters of a public key. */
    public static String peerName(byte[] publicKey) {
        String b64 = Base64.getEncoder().encodeToString(publicKey);
        return "peer(" + b64.substring(0, 4) + "…" + b64.substring(39, 43) + ")";
    }
}
