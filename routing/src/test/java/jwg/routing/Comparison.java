package jwg.routing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import jwg.testing.NetNs;
import jwg.tun.TunDevice;

/**
 * Two namespaces with the same underlay: in "theirs" the real wg-quick (with wireguard-go)
 * brings up one configuration, in "ours" jwg's {@link WgQuick} the same on a TUN. Each side has
 * its own fake resolvconf; hooks write to {@code HOOKS/%i.log}.
 */
final class Comparison implements AutoCloseable {
    static final String PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    final WgQuickCase kase;
    final NetNs theirs;
    final NetNs ours;
    final String theirName = WgQuickRunner.uniqueName("jrq");
    final String ourName = WgQuickRunner.uniqueName("jrj");
    final FakeResolvconf theirResolvconf;
    final FakeResolvconf ourResolvconf;
    final Host host;
    final WgQuickSpec spec;
    final List<String> ourLog = new CopyOnWriteArrayList<>();
    final Snapshot theirsBefore;
    final Snapshot oursBefore;
    private final Path dir;
    private final Path hooks;
    private final Path conf;
    private final String theirPath;
    TunControl device;

    Comparison(WgQuickCase given, Path dir) throws Exception {
        this.dir = dir;
        hooks = Files.createDirectories(dir.resolve("hooks"));
        kase = given.hooks(new Hooks(inHookDirectory(given.hooks().preUp()), inHookDirectory(given.hooks().postUp()),
                inHookDirectory(given.hooks().preDown()), inHookDirectory(given.hooks().postDown())));
        theirResolvconf = new FakeResolvconf(dir.resolve("rc-wg-quick"));
        ourResolvconf = new FakeResolvconf(dir.resolve("rc-jwg"));
        String searchPath = kase.withoutNft() ? withoutNft(dir.resolve("no-nft")) : PATH;
        theirPath = theirResolvconf.bin + ":" + searchPath;
        conf = dir.resolve(theirName + ".conf");
        Files.writeString(conf, kase.conf());
        Files.setPosixFilePermissions(conf, PosixFilePermissions.fromString("rw-------"));
        host = new Host(ourResolvconf.bin + ":" + searchPath, dir.resolve("no-resolvconf-dir"), Path.of("/proc/sys"),
                List.of(Path.of("/etc/iproute2")), Files.createDirectories(dir.resolve("state")),
                ProcessBuilder.Redirect.appendTo(dir.resolve("jwg-output").toFile()));
        spec = kase.spec(ourName);
        theirs = NetNs.create();
        NetNs second = null;
        try {
            second = NetNs.create();
            for (NetNs ns : List.of(theirs, second)) {
                Underlay.setUp(ns, kase.underlayMtu());
                if (kase.table51820Taken()) {
                    ns.ip("route", "add", "203.0.113.0/24", "dev", "ul0", "table", "51820");
                }
            }
        } catch (Exception e) {
            theirs.close();
            if (second != null) {
                second.close();
            }
            throw e;
        }
        ours = second;
        theirsBefore = Snapshot.capture(theirs, theirName);
        oursBefore = Snapshot.capture(ours, ourName);
    }

    Sh.Result wgQuick(String action) throws Exception {
        return WgQuickRunner.run(theirs, action, conf, theirPath);
    }

    /** jwg's side of wg-quick up: PreUp, the TUN (add_if), then {@link WgQuick#up}. */
    Session jwgUp() throws Exception {
        return ours.call(this::jwgUpInThisThread);
    }

    /** {@link #jwgUp} on the calling thread, which must be in {@link #ours}. */
    Session jwgUpInThisThread() throws Exception {
        WgQuick.preUp(spec, ourLog::add, host);
        device = new TunControl(TunDevice.open(ourName), kase.initialFwmark());
        return WgQuick.up(spec, device.tun().index(), device, ourLog::add, host);
    }

    void jwgDown(Session session) throws Exception {
        ours.call(() -> {
            session.down();
            return null;
        });
    }

    Snapshot theirSnapshot() throws Exception {
        return Snapshot.capture(theirs, theirName);
    }

    Snapshot ourSnapshot() throws Exception {
        return Snapshot.capture(ours, ourName);
    }

    List<String> theirCommands(Sh.Result run) {
        return WgQuickRunner.commands(run.output().lines().toList(), theirName);
    }

    List<String> ourCommands() {
        return WgQuickRunner.commands(ourLog, ourName);
    }

    /** What the hooks of each side wrote, with IF for the name. */
    String theirHookLog() throws Exception {
        return hookLog(theirName);
    }

    String ourHookLog() throws Exception {
        return hookLog(ourName);
    }

    private String hookLog(String ifName) throws Exception {
        Path log = hooks.resolve(ifName + ".log");
        return Files.exists(log) ? Files.readString(log).replace(ifName, "IF") : "";
    }

    List<Path> stateLeft() throws Exception {
        try (var files = Files.walk(dir.resolve("state"))) {
            return files.filter(Files::isRegularFile).toList();
        }
    }

    private List<String> inHookDirectory(List<String> commands) {
        return commands.stream().map(c -> c.replace("HOOKS", hooks.toString())).toList();
    }

    /** A PATH with everything wg-quick needs but nft (wg-quick puts /usr/bin first; nft is in /usr/sbin). */
    private static String withoutNft(Path directory) throws Exception {
        Files.createDirectories(directory);
        for (String program : List.of("sysctl", "iptables", "ip6tables", "iptables-save", "ip6tables-save",
                "iptables-restore", "ip6tables-restore")) {
            Path wrapper = directory.resolve(program);
            Files.writeString(wrapper, "#!/bin/sh\nexec /usr/sbin/" + program + " \"$@\"\n");
            Files.setPosixFilePermissions(wrapper, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        return directory + ":/usr/bin:/bin";
    }

    static List<String> sorted(List<String> lines) {
        List<String> copy = new ArrayList<>(lines);
        copy.sort(null);
        return copy;
    }

    /** Deleting wg-quick's interface ends its wireguard-go, which would keep the namespace alive. */
    @Override
    public void close() throws IOException {
        try {
            Sh.run(java.util.Map.of(), List.of("ip", "-n", theirs.name(), "link", "delete", "dev", theirName));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            theirs.close();
        } finally {
            ours.close();
        }
    }
}
