package jwg.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import jwg.cli.uapi.UapiClient;
import jwg.cli.uapi.UapiServer;
import jwg.config.ConfigException;
import jwg.config.ConfigLocator;
import jwg.config.ConfigParser;
import jwg.config.ConfigPermissions;
import jwg.config.WgQuickConfig;
import jwg.config.WgQuickStrip;
import jwg.datapath.DeviceState;
import jwg.datapath.Log;

/**
 * wg-quick's command set, `jwg up|down|save|strip CONFIG_FILE|INTERFACE`, with wg-quick's rules
 * for the argument (a name is /etc/wireguard/NAME.conf) and its messages:
 * <ul>
 * <li>up: the interface of the file comes up in a daemon of its own, in the {@link Background}:
 *     the same command line again, which runs {@link Up} (its "[#]" lines and errors reach the
 *     caller) and lets go of the caller once the interface is up and its UAPI socket listens;</li>
 * <li>down: SIGTERM to that daemon, found by its UAPI socket ({@link RunningDaemon}), which undoes
 *     everything (SaveConfig too) as wg-quick down does; what it prints meanwhile comes through a
 *     {@link DownRelay}; returns once it has exited;</li>
 * <li>save: the running configuration, read through the UAPI socket, written back to the file as
 *     wg-quick's save_config does ({@link SaveConfig});</li>
 * <li>strip: the file without wg-quick's keys ({@link WgQuickStrip}).</li>
 * </ul>
 */
final class QuickCommands {
    private QuickCommands() {}

    static final Set<String> NAMES = Set.of("up", "down", "save", "strip");
    /** How long `jwg down` waits for the daemon: systemd's default stop timeout is 90 s, jwg@.service's 30. */
    static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);

    /** metrics: where `up`'s daemon serves its metrics, if anywhere; the other commands have none. */
    static int run(String command, String argument, MetricsOption metrics) throws ConfigException, IOException, UserError {
        return switch (command) {
            case "up" -> up(argument, metrics);
            case "down" -> down(argument);
            case "save" -> save(argument);
            case "strip" -> strip(argument);
            default -> throw new IllegalArgumentException(command);
        };
    }

    private static int up(String argument, MetricsOption metrics) throws ConfigException, IOException, UserError {
        Path path = ConfigLocator.locate(argument);
        String name = ConfigLocator.interfaceName(path.toString());
        metrics.address(); // a mistake there is the caller's to report; the daemon listens
        if (!Background.isChild()) return Background.start(Map.of(RunningDaemon.MARK, name));
        Background.detachFromTerminal();
        boolean keepLog = Background.keepLog();
        Log.setQuiet(!keepLog);
        return Up.run(path.toString(), new Up.Around(() -> Background.ready(keepLog), () -> DownRelay.attach(name)), metrics);
    }

    private static int down(String argument) throws ConfigException, IOException, UserError {
        String name = ConfigLocator.interfaceName(ConfigLocator.locate(argument).toString());
        RunningDaemon daemon = RunningDaemon.of(name);
        try (DownRelay relay = DownRelay.open(name)) {
            long deadline = System.nanoTime() + STOP_TIMEOUT.toNanos();
            if (!daemon.process().destroy()) throw new UserError("cannot stop process " + daemon.process().pid() + " of " + name);
            relay.copyTo(System.err, () -> !daemon.process().isAlive() || System.nanoTime() > deadline);
        }
        try {
            daemon.process().onExit().get(1, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new UserError("process " + daemon.process().pid() + " of " + name + " did not stop within " + STOP_TIMEOUT.toSeconds() + " s");
        } catch (InterruptedException | ExecutionException e) {
            throw new UserError("interrupted while waiting for process " + daemon.process().pid() + " of " + name);
        }
        return 0;
    }

    private static int save(String argument) throws ConfigException, IOException, UserError {
        Path path = ConfigLocator.locate(argument);
        ConfigPermissions.check(path).forEach(System.err::println);
        WgQuickConfig config = ConfigParser.parse(path, w -> System.err.println("jwg: " + w));
        String name = config.interfaceName();
        if (!Files.exists(UapiServer.socketPath(name))) throw RunningDaemon.absent(name);
        SaveConfig.Live live = new SaveConfig.Live() {
            @Override public DeviceState state() throws IOException {
                return UapiClient.get(name);
            }

            @Override public Optional<SaveConfig.Link> link() throws IOException {
                return SaveConfig.link(name);
            }
        };
        try {
            new SaveConfig(config, path, live, System.err::println).save();
        } catch (IOException e) {
            throw new UserError("cannot save " + name + " to " + path + ": " + e.getMessage());
        }
        return 0;
    }

    private static int strip(String argument) throws ConfigException {
        Path path = ConfigLocator.locate(argument);
        ConfigPermissions.check(path).forEach(System.err::println);
        System.out.print(WgQuickStrip.strip(path));
        System.out.flush();
        return 0;
    }
}
