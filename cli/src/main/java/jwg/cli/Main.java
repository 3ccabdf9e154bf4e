package jwg.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import java.util.logging.Level;
import java.util.logging.Logger;
import jwg.config.ConfigException;
import jwg.datapath.Log;

/**
 * The jwg command.
 * <pre>
 *   jwg [-f|--foreground] [--metrics ADDR:PORT] INTERFACE   wireguard-go's command line: an
 *                                     unconfigured interface and its UAPI socket, for wg(8) and wg-quick(8)
 *   jwg [--metrics ADDR:PORT] CONFIG  bring up the interface of a wg-quick file, in the foreground
 *   jwg up|down|save|strip CONFIG_FILE|INTERFACE
 *                                     wg-quick's commands ({@link QuickCommands}); up takes --metrics too
 *   jwg genkey | pubkey | genpsk      as `wg genkey`, `wg pubkey`, `wg genpsk`
 *   jwg --version
 * </pre>
 * CONFIG and INTERFACE are told apart by form: a path with a '/' or a name ending in ".conf" is a
 * file ("wg0.conf" is ./wg0.conf); anything else is an interface name, because that is how wg-quick
 * calls its userspace implementation (`$WG_QUICK_USERSPACE_IMPLEMENTATION wg0`), usually while
 * /etc/wireguard/wg0.conf exists. A user's mistake ends in one line on standard error and exit
 * status 1, never a stack trace.
 */
public final class Main {
    private Main() {}

    static final String USAGE = """
            usage: jwg [-f|--foreground] [--metrics ADDR:PORT] INTERFACE
                     create INTERFACE, unconfigured, and its UAPI socket /var/run/wireguard/INTERFACE.sock
                     for wg(8) and wg-quick(8), as wireguard-go does; it goes to the background once the
                     socket is up, unless -f or WG_PROCESS_FOREGROUND=1 keeps it in the foreground
                   jwg [--metrics ADDR:PORT] CONFIG
                     run the interface of a wg-quick file in the foreground, serving its UAPI socket too;
                     CONFIG is a path with a '/' or a file name ending in .conf (wg0.conf is ./wg0.conf);
                     a bare name is an INTERFACE, so for /etc/wireguard/wg0.conf write that path
                     (or use jwg up wg0)
                   jwg up|down|save|strip CONFIG_FILE|INTERFACE
                     as wg-quick(8), INTERFACE meaning /etc/wireguard/INTERFACE.conf: up brings the
                     interface up in a daemon of its own and returns once it is up; down stops that
                     daemon, which undoes everything (and saves the file, with SaveConfig = true);
                     save writes the running configuration to the file; strip prints the file
                     without wg-quick's own keys (for wg syncconf)
                   --metrics ADDR:PORT (or JWG_METRICS=ADDR:PORT), before INTERFACE, CONFIG or up's argument
                     serve Prometheus metrics at http://ADDR:PORT/metrics, e.g. 127.0.0.1:9586
                   jwg genkey     print a new private key
                   jwg pubkey     print the public key of the private key read from standard input
                   jwg genpsk     print a new preshared key
                   jwg --version""";

    /**
     * Netty's own log: only its errors. Its warnings are about the host (no hardware address, no
     * loopback in a fresh namespace), not about jwg; jwg reports its failures itself. Held here,
     * since java.util.logging keeps loggers weakly.
     */
    private static final Logger NETTY_LOG = Logger.getLogger("io.netty");

    public static void main(String[] args) {
        // Netty's leak detector samples buffer allocations with stack traces: a cost on every packet.
        if (System.getProperty("io.netty.leakDetection.level") == null) {
            System.setProperty("io.netty.leakDetection.level", "disabled");
        }
        NETTY_LOG.setLevel(Level.SEVERE);
        String level = System.getenv("LOG_LEVEL"); // wireguard-go's: debug or verbose logs more
        if ("debug".equals(level) || "verbose".equals(level)) Log.setVerbose(true);
        System.exit(run(args));
    }

    static int run(String[] argv) {
        try {
            MetricsOption.Taken metrics = MetricsOption.take(argv);
            String[] args = metrics.rest();
            if (args.length == 1) {
                switch (args[0]) {
                    case "genkey" -> { return KeyCommands.genkey(); }
                    case "pubkey" -> { return KeyCommands.pubkey(System.in); }
                    case "genpsk" -> { return KeyCommands.genpsk(); }
                    case "--version" -> { return version(); }
                    case "-h", "--help", "help" -> {
                        System.out.println(USAGE);
                        return 0;
                    }
                    default -> { }
                }
            }
            if (args.length == 2 && QuickCommands.NAMES.contains(args[0])) return QuickCommands.run(args[0], args[1], metrics.metrics());
            boolean foreground = args.length == 2 && (args[0].equals("-f") || args[0].equals("--foreground"));
            if (args.length != (foreground ? 2 : 1)) return usage();
            String target = args[args.length - 1];
            if (target.startsWith("-")) return usage();
            if (isConfigFile(target)) return Up.run(target.indexOf('/') < 0 ? "./" + target : target, metrics.metrics());
            return InterfaceCommand.run(target, foreground || "1".equals(System.getenv(Background.FOREGROUND)), metrics.metrics());
        } catch (ConfigException | UserError | IOException e) {
            System.err.println("jwg: " + e.getMessage());
            return 1;
        }
    }

    /** A path with a '/', or a name ending in ".conf"; anything else names an interface. */
    static boolean isConfigFile(String argument) {
        return argument.indexOf('/') >= 0 || argument.endsWith(".conf");
    }

    private static int version() {
        String version = "unknown";
        try (InputStream in = Main.class.getResourceAsStream("/META-INF/maven/jwg/jwg-cli/pom.properties")) {
            if (in != null) {
                Properties p = new Properties();
                p.load(in);
                version = p.getProperty("version", version);
            }
        } catch (IOException e) {
            // keep "unknown"
        }
        System.out.println("jwg v" + version + "\n\nUserspace WireGuard in Java for linux-" + System.getProperty("os.arch") + ".");
        return 0;
    }

    private static int usage() {
        System.err.println(USAGE);
        return 2;
    }
}
