package jwg.cli;

import java.io.IOException;
import jwg.config.ConfigException;

/**
 * The jwg command.
 * <pre>
 *   jwg CONFIG          bring up the interface of a wg-quick file and run it in the foreground
 *   jwg genkey          a new private key (base64), as `wg genkey`
 *   jwg pubkey          the public key of the private key on standard input, as `wg pubkey`
 *   jwg genpsk          a new preshared key, as `wg genpsk`
 * </pre>
 * A user's mistake ends in one line on standard error and exit status 1, never a stack trace.
 */
public final class Main {
    private Main() {}

    static final String USAGE = """
            usage: jwg CONFIG     run the interface of a wg-quick file (a path ending in .conf, or a
                                  name that resolves to /etc/wireguard/NAME.conf) in the foreground
                   jwg genkey     print a new private key
                   jwg pubkey     print the public key of the private key read from standard input
                   jwg genpsk     print a new preshared key""";

    public static void main(String[] args) {
        // Netty's leak detector samples buffer allocations with stack traces: a cost on every packet.
        if (System.getProperty("io.netty.leakDetection.level") == null) {
            System.setProperty("io.netty.leakDetection.level", "disabled");
        }
        System.exit(run(args));
    }

    static int run(String[] args) {
        try {
            if (args.length != 1) return usage();
            return switch (args[0]) {
                case "genkey" -> KeyCommands.genkey();
                case "pubkey" -> KeyCommands.pubkey(System.in);
                case "genpsk" -> KeyCommands.genpsk();
                case "-h", "--help", "help" -> {
                    System.out.println(USAGE);
                    yield 0;
                }
                default -> args[0].startsWith("-") ? usage() : Up.run(args[0]);
            };
        } catch (ConfigException e) {
            System.err.println("jwg: " + e.getMessage());
            return 1;
        } catch (UserError | IOException e) {
            System.err.println("jwg: " + e.getMessage());
            return 1;
        }
    }

    private static int usage() {
        System.err.println(USAGE);
        return 2;
    }
}
