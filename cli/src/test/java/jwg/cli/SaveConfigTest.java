package jwg.cli;

import jwg.routing.Table;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import jwg.cli.testing.Cmd;
import jwg.cli.testing.Keys;
import jwg.cli.testing.Launcher;
import jwg.cli.testing.NetNs;
import jwg.cli.testing.Processes;
import jwg.cli.uapi.UapiServer;
import jwg.config.ConfigParser;
import jwg.net.IpPrefix;
import jwg.config.PeerConfig;
import jwg.config.WgQuickConfig;
import jwg.datapath.DeviceState;
import jwg.datapath.PeerState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SaveConfig = true: wg-quick's save_config on down, as {@link SaveConfig} does it. */
class SaveConfigTest {
    @TempDir
    Path dir;

    @Test
    void liveAddressesIpv4FirstFileOrderKeptKernelLinkLocalDropped() {
        IpPrefix a = IpPrefix.parse("10.0.0.2/24");
        IpPrefix b = IpPrefix.parse("fd00::2/64");
        IpPrefix c = IpPrefix.parse("10.0.0.9/32");
        IpPrefix linkLocal = IpPrefix.parse("fe80::1234/64");
        IpPrefix gone = IpPrefix.parse("10.7.0.1/24");
        assertEquals(List.of(a, c, b), SaveConfig.addresses(List.of(b, a, gone), List.of(linkLocal, c, b, a)));
        IpPrefix given = IpPrefix.parse("fe80::5/64");
        assertEquals(List.of(given), SaveConfig.addresses(List.of(given), List.of(given, linkLocal)));
    }

    @Test
    void theLiveStateReplacesWgsKeysAndTheFileKeepsWgQuicks() throws Exception {
        Keys me = Keys.generate();
        Keys p1 = Keys.generate();
        Keys p2 = Keys.generate();
        String psk = Keys.psk();
        WgQuickConfig file = ConfigParser.parse("wg9.conf", new StringReader("""
                [Interface]
                PrivateKey = %s
                Address = 10.0.0.2/24
                DNS = 10.0.0.1, example.org
                MTU = 1400
                Table = 1234
                PreUp = echo pre %%i
                PostDown = echo post %%i
                SaveConfig = true

                [Peer]
                PublicKey = %s
                AllowedIPs = 10.0.0.0/24
                """.formatted(me.privateKey(), p1.publicKey())));
        DeviceState state = new DeviceState(Optional.of(b64(me.privateKey())), 51999, 0xca6c, List.of(
                new PeerState(b64(p1.publicKey()), new byte[32], Optional.of(new InetSocketAddress(InetAddress.getByName("192.0.2.7"), 51820)),
                        0, 0, 0, 0, List.of(new IpPrefix(new byte[] {10, 0, 0, 0}, 24))),
                new PeerState(b64(p2.publicKey()), b64(psk),
                        Optional.of(new InetSocketAddress(InetAddress.getByName("2001:db8::1"), 4000)), 0, 0, 0, 25,
                        List.of(new IpPrefix(new byte[] {10, 1, 0, 0}, 16)))));
        WgQuickConfig saved = SaveConfig.liveConfig(file,
                new SaveConfig.Link(List.of(IpPrefix.parse("10.0.0.2/24"), IpPrefix.parse("10.0.0.3/24")), 1380), state);
        String text = jwg.config.ConfigWriter.write(saved);
        WgQuickConfig back = ConfigParser.parse("wg9.conf", new StringReader(text));
        assertEquals(List.of(IpPrefix.parse("10.0.0.2/24"), IpPrefix.parse("10.0.0.3/24")), back.interfaceConfig().addresses());
        assertEquals(OptionalInt.of(1380), back.interfaceConfig().mtu(), "MTU from the link");
        assertEquals(file.interfaceConfig().dns(), back.interfaceConfig().dns());
        assertEquals("1234", back.interfaceConfig().table().toString());
        assertEquals(file.interfaceConfig().hooks(), back.interfaceConfig().hooks());
        assertTrue(text.contains("PreUp = echo pre %i\n"), "hooks unexpanded: " + text.replaceAll("Key = .*", ""));
        assertTrue(back.interfaceConfig().saveConfig());
        assertEquals(51999, back.interfaceConfig().listenPort());
        assertEquals(0xca6c, back.interfaceConfig().fwMark());
        assertEquals(me.privateKey(), back.interfaceConfig().privateKey().orElseThrow().toBase64());
        assertEquals(2, back.peers().size());
        PeerConfig q1 = back.peers().get(0);
        assertTrue(q1.presharedKey().isEmpty(), "a zero preshared key is none");
        assertEquals("192.0.2.7:51820", q1.endpoint().orElseThrow().toString());
        PeerConfig q2 = back.peers().get(1);
        assertEquals(p2.publicKey(), q2.publicKey().toBase64());
        assertEquals(psk, q2.presharedKey().orElseThrow().toBase64());
        assertEquals("[2001:db8::1]:4000", q2.endpoint().orElseThrow().toString());
        assertEquals(25, q2.persistentKeepalive());
        assertEquals(List.of(IpPrefix.parse("10.1.0.0/16")), q2.allowedIps());

        WgQuickConfig noMtu = ConfigParser.parse("wg9.conf", new StringReader("[Interface]\nPrivateKey = " + me.privateKey() + "\n"));
        WgQuickConfig savedNoMtu = SaveConfig.liveConfig(noMtu, new SaveConfig.Link(List.of(), 1420), state);
        assertTrue(savedNoMtu.interfaceConfig().mtu().isEmpty(), "an automatic MTU stays automatic, as in wg-quick");
    }

    @Test
    void writesAtomicallyWithMode0600() throws Exception {
        Path target = dir.resolve("wg9.conf");
        Files.writeString(target, "old");
        Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rw-r--r--"));
        SaveConfig.writeAtomically(target, "new\n".getBytes());
        assertEquals("new\n", Files.readString(target));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(target)));
        try (var files = Files.list(dir)) {
            assertEquals(List.of(target), files.toList(), "no temporary file left");
        }
    }

    /**
     * jwg on a SaveConfig file reached through a symlink; `wg set` and `ip address add` change it
     * while it runs; SIGTERM; the real file (not the link) holds the changes, mode 0600.
     */
    @Test
    void onSigtermTheLiveConfigurationIsWrittenBack() throws Exception {
        Path jwg = Launcher.write(dir);
        try (NetNs ns = NetNs.create()) {
            String name = NetNs.uniqueName("jwgs");
            Keys me = Keys.generate();
            Keys peer = Keys.generate();
            Keys added = Keys.generate();
            String psk = Keys.psk();
            Path realDir = Files.createDirectory(dir.resolve("real"));
            Path real = realDir.resolve("saved.conf");
            Files.writeString(real, """
                    [Interface]
                    PrivateKey = %s
                    ListenPort = 51871
                    Address = 10.71.0.1/24
                    Address = fd71::1/64
                    MTU = 1400
                    PostUp = echo up %%i
                    PostDown = echo down %%i
                    SaveConfig = true

                    [Peer]
                    PublicKey = %s
                    AllowedIPs = 10.71.0.2/32
                    """.formatted(me.privateKey(), peer.publicKey()));
            Files.setPosixFilePermissions(real, PosixFilePermissions.fromString("rw-------"));
            Path link = Files.createSymbolicLink(dir.resolve(name + ".conf"), real);
            Path pskFile = dir.resolve("psk");
            Files.writeString(pskFile, psk + "\n");
            Process p = new ProcessBuilder("ip", "netns", "exec", ns.name(), jwg.toString(), link.toString())
                    .redirectOutput(dir.resolve("out").toFile()).redirectError(dir.resolve("err").toFile()).start();
            try {
                Path socket = UapiServer.socketPath(name);
                // Ready means listening: jwg says "is up" once its UAPI server listens. The socket
                // file alone appears at bind(), just before listen(), and a `wg` that connects in
                // between is refused, unlinks the socket and falls back to the kernel.
                assertTrue(Processes.await(60_000, () -> Files.exists(socket) && Files.readString(dir.resolve("err")).contains("echo up")
                                && Files.readString(dir.resolve("err")).contains("is up: UDP port")),
                        "up: " + Files.readString(dir.resolve("err")));
                Cmd.ok("wg", "set", name, "listen-port", "51872", "peer", added.publicKey(), "preshared-key", pskFile.toString(),
                        "allowed-ips", "10.72.0.0/16", "endpoint", "192.0.2.9:5000", "persistent-keepalive", "21");
                ns.exec("ip", "address", "add", "10.73.0.1/16", "dev", name).orThrow();
                p.destroy(); // SIGTERM
                assertTrue(p.waitFor(60, TimeUnit.SECONDS));
                String err = Files.readString(dir.resolve("err")) + Files.readString(dir.resolve("out"));
                assertEquals(0, p.exitValue(), err);
                assertTrue(err.contains("[#] wg showconf " + name), err);
                for (String secret : List.of(me.privateKey(), psk)) assertFalse(err.contains(secret), "keys are never logged");
            } finally {
                p.destroyForcibly();
            }
            assertTrue(Files.isSymbolicLink(link), "the link is kept, its target replaced");
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(real)));
            try (var files = Files.list(realDir)) {
                assertEquals(List.of(real), files.toList(), "no temporary file left");
            }
            WgQuickConfig back = ConfigParser.parse(link);
            var i = back.interfaceConfig();
            assertEquals(List.of(IpPrefix.parse("10.71.0.1/24"), IpPrefix.parse("10.73.0.1/16"), IpPrefix.parse("fd71::1/64")),
                    i.addresses());
            assertEquals(51872, i.listenPort());
            assertEquals(OptionalInt.of(1400), i.mtu());
            assertEquals(List.of("echo up %i"), i.hooks().postUp());
            assertEquals(List.of("echo down %i"), i.hooks().postDown());
            assertTrue(i.saveConfig());
            assertEquals(me.privateKey(), i.privateKey().orElseThrow().toBase64());
            assertEquals(2, back.peers().size());
            assertEquals(peer.publicKey(), back.peers().get(0).publicKey().toBase64());
            PeerConfig q = back.peers().get(1);
            assertEquals(added.publicKey(), q.publicKey().toBase64());
            assertEquals(psk, q.presharedKey().orElseThrow().toBase64());
            assertEquals(List.of(IpPrefix.parse("10.72.0.0/16")), q.allowedIps());
            assertEquals("192.0.2.9:5000", q.endpoint().orElseThrow().toString());
            assertEquals(21, q.persistentKeepalive());
        }
    }

    private static byte[] b64(String s) {
        return Base64.getDecoder().decode(s);
    }
}
