package jwg.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import jwg.interop.fixture.Addrs;
import jwg.interop.fixture.ExecResult;
import jwg.interop.fixture.JwgProcess;
import jwg.interop.fixture.Netns;
import jwg.interop.fixture.Poll;
import jwg.interop.fixture.Spawned;
import jwg.interop.fixture.Veth;
import jwg.interop.fixture.WgConfig;
import jwg.interop.fixture.WgKeys;
import jwg.interop.fixture.WireguardGoPeer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * `jwg up|down|save` against the real wg-quick (with wireguard-go, as it runs here without the
 * kernel module) on the same file in the same namespace, one after the other: the same "[#]"
 * lines (but for add_if and set_config, which jwg does itself), the same interface, addresses,
 * MTU, routes, rules and nftables while up, the same file written by save and by SaveConfig on
 * down, a handshake through the tunnel with a wireguard-go peer, and after down the namespace as
 * before. Then the mistakes: the same message (but for the program's name) and exit status as
 * wg-quick's, and nothing left behind.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class JwgUpDownTest {
    static final String UNDERLAY_C = "192.168.88.1/24,fd88::1/64";
    static final String UNDERLAY_S = "192.168.88.2/24,fd88::2/64";
    static final String TUNNEL_C = "10.88.0.1/24,fd0a:88::1/64";
    static final String TUNNEL_S = "10.88.0.2/24,fd0a:88::2/64";
    static final int PORT_C = 51861;
    static final int PORT_S = 51862;
    static final Duration RUN = Duration.ofSeconds(90);

    Netns client;
    Netns server;
    WireguardGoPeer go;
    final WgKeys.KeyPair kc = WgKeys.generate();
    final WgKeys.KeyPair ks = WgKeys.generate();
    String ifName;
    Path conf;
    Path hookFile;

    @BeforeEach
    void underlay() {
        client = Netns.create("udc");
        server = Netns.create("uds");
        Veth.connect(client, UNDERLAY_C, server, UNDERLAY_S, 1500);
        ifName = JwgProcess.uniqueIfName();
        conf = client.logDir().resolve(ifName + ".conf");
        hookFile = client.logDir().resolve(ifName + ".hook");
        Poll.until(Duration.ofSeconds(30), "IPv6 link-local addresses in " + client.name(), () ->
                client.ip("-6", "address", "show", "scope", "link").contains("fe80::")
                        && client.ip("-6", "address", "show", "tentative").isBlank());
    }

    @AfterEach
    void tearDown() {
        Closing.closeAll(go, client, server);
    }

    /** A full tunnel (rules, fwmark, nftables), hooks and SaveConfig: most of what wg-quick does. */
    private String fullTunnel() {
        return """
                [Interface]
                PrivateKey = %s
                ListenPort = %d
                Address = %s
                SaveConfig = true
                PostUp = env > %s
                PostDown = rm %s

                [Peer]
                PublicKey = %s
                AllowedIPs = 0.0.0.0/0, ::/0
                Endpoint = %s
                """.formatted(kc.privateKey(), PORT_C, String.join(", ", Addrs.split(TUNNEL_C)), hookFile, hookFile,
                ks.publicKey(), Addrs.endpoint(Addrs.ipv4(UNDERLAY_S), PORT_S));
    }

    @Test
    void upSaveAndDownDoWhatWgQuickDoes() throws IOException {
        go = WireguardGoPeer.start(server, WgConfig.of(ks, PORT_S).withAddresses(TUNNEL_S)
                .withPeer(WgConfig.Peer.of(kc.publicKey(), "10.88.0.1/32,fd0a:88::1/128")));
        String text = fullTunnel();
        String added = WgKeys.generate().publicKey();
        Map<String, String> before = snapshot();

        JwgProcess.writeConfig(conf, text);
        Run theirs = run(() -> wgQuick("up"), () -> wgQuick("save"), () -> wgQuick("down"), added, false);
        assertEquals(before, snapshot(), "wg-quick down leaves the namespace as before");
        Poll.until(Duration.ofSeconds(10), "wireguard-go's socket of " + ifName + " gone",
                () -> !Files.exists(Path.of("/var/run/wireguard", ifName + ".sock")));
        client.execOk("sysctl", "-qw", "net.ipv4.conf.all.src_valid_mark=0"); // wg-quick set it and leaves it; so does jwg

        JwgProcess.writeConfig(conf, text);
        Run ours = run(() -> jwg("up", conf.toString()), () -> jwg("save", conf.toString()), () -> jwg("down", conf.toString()), added, true);
        assertEquals(before, snapshot(), "jwg down leaves the namespace as before");
        assertFalse(Files.exists(Path.of("/var/run/wireguard", ifName + ".sock")));
        assertTrue(client.pids().isEmpty(), "the daemon has exited when jwg down returns: " + client.pids());

        // Debian 12's wg-quick adds a default route's table before its rules, today's (and jwg) after: the same lines
        assertEquals(sorted(theirs.up), sorted(ours.up), "up's [#] lines");
        assertEquals(theirs.whileUp, ours.whileUp, "the namespace while up");
        assertEquals(theirs.saved, ours.saved, "the file jwg save wrote");
        assertEquals(sorted(theirs.down), sorted(ours.down), "down's [#] lines");
        assertEquals(theirs.savedOnDown, ours.savedOnDown, "the file SaveConfig wrote on down");
        assertTrue(ours.saved.contains("PublicKey = " + added), ours.saved);
    }

    /** What one run (wg-quick's or jwg's) printed and left, with the interface's name as IF. */
    record Run(List<String> up, Map<String, String> whileUp, String saved, List<String> down, String savedOnDown) {}

    interface Step {
        ExecResult run();
    }

    private Run run(Step up, Step save, Step down, String addedPeer, boolean jwgDaemon) throws IOException {
        ExecResult u = up.run();
        assertEquals(0, u.exitCode(), u.describe());
        String hookEnvironment = Files.readString(hookFile); // PostUp ran
        for (String marker : List.of("JWG_BACKGROUND_CHILD=", "JWG_UP=", "WG_PROCESS_FOREGROUND=")) {
            assertFalse(hookEnvironment.lines().anyMatch(l -> l.startsWith(marker)), "the hooks do not see the daemon's " + marker);
        }
        if (jwgDaemon) assertDetached(); // Debian's wireguard-go keeps the caller's session
        Traffic.pingUntilAnswered(Traffic.Host.of(client), Addrs.ipv4(TUNNEL_S), 30);
        go.awaitHandshake(kc.publicKey(), Duration.ofSeconds(15));
        Map<String, String> whileUp = snapshot();
        client.execOk("wg", "set", ifName, "peer", addedPeer, "allowed-ips", "10.88.5.0/24");
        ExecResult s = save.run();
        assertEquals(0, s.exitCode(), s.describe());
        String saved = savedFile();
        ExecResult d = down.run();
        assertEquals(0, d.exitCode(), d.describe());
        assertFalse(Files.exists(hookFile), "PostDown ran");
        assertFalse(client.hasLink(ifName));
        return new Run(commands(u.stderr()), whileUp, saved, commands(d.stderr()), savedFile());
    }

    /**
     * The configuration file as save wrote it: without the TUN's link-local address (wg-quick
     * saves every address, jwg those of a kernel interface) and with the peers in one order
     * (wireguard-go lists them in Go's random map order, jwg and the kernel in the order added).
     */
    private String savedFile() throws IOException {
        String[] sections = withoutLinkLocal(Files.readString(conf)).split("\n(?=\\[Peer]\n)");
        List<String> peers = new ArrayList<>(List.of(sections).subList(1, sections.length));
        peers.replaceAll(p -> p.endsWith("\n") ? p : p + "\n");
        return sections[0] + "\n" + peers.stream().sorted().collect(Collectors.joining("\n"));
    }

    /** The daemon that jwg up leaves is detached: a session of its own, stdin, stdout and stderr /dev/null. */
    private void assertDetached() throws IOException {
        List<Long> pids = client.pids();
        assertEquals(1, pids.size(), "one daemon: " + pids);
        Path proc = Path.of("/proc", Long.toString(pids.getFirst()));
        String stat = Files.readString(proc.resolve("stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" "); // state ppid pgrp session ...
        assertEquals(pids.getFirst(), Long.parseLong(fields[3]), "its own session: " + stat);
        for (String fd : List.of("0", "1", "2")) {
            assertEquals(Path.of("/dev/null"), Files.readSymbolicLink(proc.resolve("fd").resolve(fd)), "fd " + fd);
        }
    }

    // ---- mistakes ---------------------------------------------------------------------------

    @Test
    void mistakesEndAsWithWgQuick() {
        String iface = "[Interface]\nPrivateKey = " + kc.privateKey() + "\nAddress = 10.88.0.1/24\n";
        Map<String, String> before = snapshot();

        Path missing = client.logDir().resolve("nosuch0.conf");
        sameFailure("up", missing.toString());
        sameFailure("up", JwgProcess.uniqueIfName().replace("jwg", "jwn")); // /etc/wireguard/NAME.conf
        sameFailure("down", missing.toString());

        Path badName = client.logDir().resolve("a-name-far-too-long.conf");
        JwgProcess.writeConfig(badName, iface);
        ExecResult quick = wgQuick("up", badName);
        ExecResult ours = jwg("up", badName.toString());
        assertEquals(quick.exitCode(), ours.exitCode());
        assertTrue(quick.stderr().contains("must be a valid interface name, followed by .conf"), quick.stderr());
        assertTrue(ours.stderr().contains("must be a valid interface name (1-15 of a-z A-Z 0-9 _ = + . -), followed by .conf"),
                ours.stderr()); // jwg's says which characters

        JwgProcess.writeConfig(conf, "[Interface]\nPrivateKey = notakey\nAddress = 10.88.0.1/24\n");
        quick = wgQuick("up", conf);
        ours = jwg("up", conf.toString());
        assertEquals(quick.exitCode(), ours.exitCode(), ours.describe());
        assertTrue(ours.stderr().contains("PrivateKey"), ours.stderr());
        assertEquals(before, snapshot(), "a bad key leaves nothing");

        JwgProcess.writeConfig(conf, iface);
        sameFailure("down", conf.toString()); // `IF' is not a WireGuard interface
        client.ip("link", "add", ifName, "type", "veth", "peer", "name", "vx" + ifName.substring(3)); // no dummy module here
        sameFailure("up", conf.toString()); // `IF' already exists
        assertTrue(client.hasLink(ifName), "and the interface is left alone");
        sameFailure("down", conf.toString()); // a veth is not a WireGuard interface either
        client.ip("link", "del", ifName);

        // PostUp fails once the full tunnel's rules and nftables are there: both undo all of it
        JwgProcess.writeConfig(conf, fullTunnel().replace("PostUp = env >", "PostUp = false; env >"));
        quick = wgQuick("up", conf);
        List<String> quickLines = commands(quick.stderr());
        Poll.until(Duration.ofSeconds(10), "wireguard-go's socket gone", () -> !Files.exists(Path.of("/var/run/wireguard", ifName + ".sock")));
        client.execOk("sysctl", "-qw", "net.ipv4.conf.all.src_valid_mark=0");
        ours = jwg("up", conf.toString());
        assertEquals(quick.exitCode(), ours.exitCode(), ours.describe());
        assertEquals(sorted(quickLines), sorted(commands(ours.stderr())));
        assertEquals(before, snapshot(), "a failed PostUp leaves nothing");
        assertFalse(Files.exists(Path.of("/var/run/wireguard", ifName + ".sock")));
        assertTrue(client.pids().isEmpty(), "no daemon left: " + client.pids());
    }

    /** SIGTERM (or Ctrl-C) to `jwg up` before the interface is up: the daemon undoes its steps, as wg-quick's trap does. */
    @Test
    void anInterruptedUpUndoesItself() {
        Map<String, String> before = snapshot();
        JwgProcess.writeConfig(conf, fullTunnel().replace("PostUp = env > " + hookFile, "PostUp = sleep 60"));
        Spawned up = client.spawn("up", Map.of(), List.of(JwgProcess.launcher(), "-jar", JwgProcess.jar().toString(), "up", conf.toString()));
        Poll.until(RUN, "jwg up at its PostUp (log " + up.log() + ")", () -> up.logTail(100_000).contains("[#] sleep 60"));
        up.stop(Duration.ofSeconds(40));
        Poll.until(Duration.ofSeconds(40), "the daemon gone", () -> client.pids().isEmpty());
        assertTrue(up.logTail(100_000).contains("[#] ip link delete dev " + ifName), up.logTail(2000));
        assertEquals(before, snapshot(), "nothing left");
    }

    /** An interface up through wg-quick (wireguard-go) is not jwg's to take down; wg-quick down still works. */
    @Test
    void downRefusesAnInterfaceJwgDoesNotRun() {
        JwgProcess.writeConfig(conf, "[Interface]\nPrivateKey = " + kc.privateKey() + "\nAddress = 10.88.0.1/24\n");
        wgQuick("up", conf).orThrow();
        ExecResult ours = jwg("down", conf.toString());
        assertEquals(1, ours.exitCode(), ours.describe());
        assertTrue(ours.stderr().startsWith("jwg: `" + ifName + "' is not run by `jwg up' (its UAPI socket was made by process "),
                ours.stderr());
        assertTrue(client.hasLink(ifName), "it is left running");
        wgQuick("down", conf).orThrow();
    }

    /** wg-quick and jwg give the same message (but for the program's name) and exit status. */
    private void sameFailure(String action, String argument) {
        ExecResult quick = client.exec(RUN, "env", "WG_QUICK_USERSPACE_IMPLEMENTATION=wireguard-go", "wg-quick", action, argument);
        ExecResult ours = jwg(action, argument);
        assertEquals(quick.exitCode(), ours.exitCode(), ours.describe());
        assertEquals(quick.stderr().replace("wg-quick: ", "jwg: "), ours.stderr(), action + " " + argument);
    }

    // ---- running them -----------------------------------------------------------------------

    private ExecResult wgQuick(String action) {
        return wgQuick(action, conf);
    }

    private ExecResult wgQuick(String action, Path file) {
        return client.exec(RUN, "env", "WG_QUICK_USERSPACE_IMPLEMENTATION=wireguard-go", "wg-quick", action, file.toString());
    }

    private ExecResult jwg(String action, String argument) {
        return client.exec(RUN, JwgProcess.launcher(), "-jar", JwgProcess.jar().toString(), action, argument);
    }

    /**
     * The "[#]" lines with IF for the interface, nft's input as /dev/stdin (wg-quick's process
     * substitution is /dev/fd/63), without add_if's and set_config's (jwg makes its TUN and
     * configures its device itself).
     */
    private List<String> commands(String stderr) {
        return stderr.lines().filter(l -> l.startsWith("[#] "))
                .map(l -> l.replace(ifName, "IF").replaceAll("/dev/fd/\\d+", "/dev/stdin"))
                .filter(l -> !l.equals("[#] ip link add IF type wireguard") && !l.equals("[#] wireguard-go IF")
                        && !l.startsWith("[#] wg setconf IF"))
                .toList();
    }

    /**
     * The client's interfaces (names, MTU, state), addresses, rules, routes and nftables. Without
     * the IPv6 link-local address a TUN gets from the kernel (random, since a TUN has no hardware
     * address) and its routes, and without wg's fwmark (off or 0xca6c on either).
     */
    private Map<String, String> snapshot() {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("links", client.ip("-o", "link").lines().map(JwgUpDownTest::link).collect(Collectors.joining("\n")));
        s.put("addresses", withoutLinkLocal(client.ip("-o", "address").replaceAll("(?m)^\\d+: ", "").replaceAll("valid_lft.*", "")));
        for (String family : List.of("-4", "-6")) {
            s.put("ip " + family + " rule", client.ip(family, "rule"));
            s.put("ip " + family + " route", withoutLinkLocal(client.ip(family, "route", "show", "table", "all")));
        }
        s.put("nft", withoutLinkLocal(client.execOk("nft", "list", "ruleset").stdout()));
        return s;
    }

    /** A line of `ip -o link` as "NAME mtu N UP|DOWN": not its index (a new TUN gets the next), flags, queue or qdisc. */
    private static String link(String line) {
        Matcher m = Pattern.compile("^\\d+: ([^:@]+)(@\\S+)?: <([^>]*)>.* mtu (\\d+) ").matcher(line);
        if (!m.find()) return line;
        return m.group(1) + " mtu " + m.group(4) + (List.of(m.group(3).split(",")).contains("UP") ? " UP" : " DOWN");
    }

    /** Lines without a link-local address of the tunnel (not those of the veth, which stay). */
    private String withoutLinkLocal(String text) {
        List<String> kept = new ArrayList<>();
        for (String l : text.split("\n", -1)) {
            boolean tunnel = l.contains(ifName) || l.startsWith("Address = fe80:");
            if (!(tunnel && l.contains("fe80:"))) kept.add(l);
        }
        return String.join("\n", kept);
    }

    private static List<String> sorted(List<String> lines) {
        return lines.stream().sorted().toList();
    }

}
