package jwg.config;

import jwg.routing.Dns;
import jwg.routing.Hooks;
import jwg.routing.Table;
import static jwg.config.Fixtures.K1;
import static jwg.config.Fixtures.P2;
import static jwg.config.Fixtures.P3;
import static jwg.config.Fixtures.PSK;
import static jwg.config.Fixtures.key;
import static jwg.config.Fixtures.parseText;
import static jwg.config.Fixtures.prefix;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Line-level rules of wg-quick and wg that the fixtures do not spell out one by one. */
class ParserSemanticsTest {
    private static String error(String text) {
        return assertThrows(ConfigException.class, () -> parseText(text)).getMessage();
    }

    private static PeerConfig onlyPeer(String peerLines) throws ConfigException {
        List<PeerConfig> peers = parseText("[Interface]\n[Peer]\nPublicKey = " + P2 + "\n" + peerLines).peers();
        assertEquals(1, peers.size());
        return peers.getFirst();
    }

    /** Found by CliFuzzTest: a private key pasted as another key's value was quoted in the error. */
    @Test
    void aKeyGivenAsAnotherKeysValueIsNotQuoted() {
        for (String line : List.of("SaveConfig = " + K1, "ListenPort = " + K1, "MTU = " + PSK, "FwMark = " + K1)) {
            String m = error("[Interface]\n" + line + "\n");
            assertFalse(m.contains(K1) || m.contains(PSK), m);
            assertTrue(m.startsWith("wg0.conf:2: "), m);
            assertTrue(m.contains("(a key)"), m);
        }
        String endpoint = error("[Interface]\n[Peer]\nPublicKey = " + P2 + "\nEndpoint = " + PSK + "\n");
        assertFalse(endpoint.contains(PSK), endpoint);
    }

    @Test
    void wgRemovesWhitespaceEverywhereInItsLines() throws Exception {
        PeerConfig p = onlyPeer("Allowed IPs = 10.0.0.0 / 8 , fd00:: / 8\nEndpoint = 192.0.2.1 : 51820\n");
        assertEquals(List.of(prefix("10.0.0.0/8"), prefix("fd00::/8")), p.allowedIps());
        assertEquals(Optional.of(new Endpoint("192.0.2.1", 51820)), p.endpoint());
        assertEquals(key(P3), parseText("[ Peer ]\nPublic Key = " + P3).peers().getFirst().publicKey());
    }

    @Test
    void commentsStartAtAnyHash() throws Exception {
        PeerConfig p = onlyPeer("Endpoint = 192.0.2.1:51820#comment\nAllowedIPs = 10.0.0.0/8 # , 10.1.0.0/16\n  # Endpoint = x\n");
        assertEquals(List.of(prefix("10.0.0.0/8")), p.allowedIps());
        assertEquals(51820, p.endpoint().orElseThrow().port());
    }

    @Test
    void wgQuickKeysOnlyInItsInterfaceSection() throws Exception {
        assertEquals("wg0.conf:2: Address: not valid in [Peer]", error("[Peer]\nAddress = 10.0.0.1/24\nPublicKey = " + P2));
        assertEquals("wg0.conf:1: MTU: outside of any section (no [Interface] or [Peer] before it)", error("MTU = 1420"));
        assertEquals("wg0.conf:2: PostUp: wg-quick does not recognize the key with whitespace inside its name",
                error("[Interface]\nPost Up = true"));
        assertEquals("wg0.conf:2: PublicKey: not valid in [Interface]", error("[Interface]\nPublicKey = " + P2));
        assertEquals("wg0.conf:3: ListenPort: not valid in [Peer]", error("[Interface]\n[Peer]\nListenPort = 1"));
        // A second [Interface] after a peer is the interface again, for wg and for wg-quick.
        WgQuickConfig c = parseText("[Interface]\nMTU = 1400\n[Peer]\nPublicKey = " + P2 + "\n[Interface]\nMTU = 1300\nListenPort = 7\n");
        assertEquals(OptionalInt.of(1300), c.interfaceConfig().mtu());
        assertEquals(7, c.interfaceConfig().listenPort());
    }

    @Test
    void emptyValues() throws Exception {
        InterfaceConfig i = parseText("[Interface]\nMTU = 1400\nMTU =\nTable = off\nTable =\nAddress =\nDNS = \nPostUp =\n").interfaceConfig();
        assertEquals(OptionalInt.empty(), i.mtu(), "an empty MTU is automatic again");
        assertEquals(new Table.Auto(), i.table());
        assertEquals(List.of(), i.addresses());
        assertEquals(Dns.NONE, i.dns());
        assertEquals(List.of(""), i.hooks().postUp());
        assertEquals("wg0.conf:2: ListenPort: empty value", error("[Interface]\nListenPort = # nothing"));
        assertEquals("wg0.conf:2: SaveConfig: \"\" is neither true nor false", error("[Interface]\nSaveConfig ="));
        assertEquals("wg0.conf:2: MTU: expected \"MTU = value\"", error("[Interface]\nMTU"));
    }

    @Test
    void addressAndDnsSplitOnCommasAndWhitespace() throws Exception {
        InterfaceConfig i = parseText("[Interface]\nAddress = 10.0.0.1/24 fd00::1/64,,10.0.1.1\nDNS = 1.1.1.1 example.com,,::1\n").interfaceConfig();
        assertEquals(List.of(prefix("10.0.0.1/24"), prefix("fd00::1/64"), prefix("10.0.1.1/32")), i.addresses());
        assertEquals(2, i.dns().servers().size());
        assertEquals(List.of("example.com"), i.dns().searchDomains());
        // Same IPv4 address with another prefix is fine for the kernel; the same IPv6 address is not.
        assertEquals(2, parseText("[Interface]\nAddress = 10.0.0.1/24, 10.0.0.1/16").interfaceConfig().addresses().size());
        assertEquals("wg0.conf:2: Address: fd00::1/48 repeats the address fd00::1/64 (ip address add would fail)",
                error("[Interface]\nAddress = fd00::1/64, fd00::1/48"));
    }

    @Test
    void hooksKeepEverythingAfterTheFirstEquals() throws Exception {
        Hooks h = parseText("[Interface]\nPreUp=a=b  \nPostDown =   echo '#' x=1 # note\r\n").interfaceConfig().hooks();
        assertEquals(List.of("a=b"), h.preUp());
        assertEquals(List.of("echo '#' x=1 # note"), h.postDown());
    }

    @Test
    void lastValueWinsForSingleKeys() throws Exception {
        PeerConfig p = onlyPeer("PublicKey = " + P3 + "\nPersistentKeepalive = 5\nPersistentKeepalive = off\nPresharedKey = "
                + Fixtures.PSK + "\nPresharedKey = AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n");
        assertEquals(key(P3), p.publicKey(), "a second PublicKey in one section replaces the first");
        assertEquals(0, p.persistentKeepalive());
        assertEquals(Optional.empty(), p.presharedKey(), "an all-zero preshared key is no preshared key");
        InterfaceConfig i = parseText("[Interface]\nFwMark = 7\nFwMark = off\nSaveConfig = true\nSaveConfig = False\n").interfaceConfig();
        assertEquals(0, i.fwMark());
        assertEquals(false, i.saveConfig());
    }

    @Test
    void incrementalAllowedIps() throws Exception {
        assertEquals(List.of(prefix("10.1.0.0/16")), onlyPeer("AllowedIPs = 10.0.0.0/8, +10.1.0.0/16, -10.0.0.0/8\n").allowedIps());
        String twice = "[Interface]\n[Peer]\nPublicKey = " + P2 + "\nAllowedIPs = 10.0.0.0/8\n[Peer]\nPublicKey = " + P2 + "\n";
        assertEquals(List.of(), parseText(twice).peers().getFirst().allowedIps(), "a repeated section replaces");
        assertEquals(List.of(prefix("10.0.0.0/8"), prefix("10.2.0.0/16")),
                parseText(twice + "AllowedIPs = +10.2.0.0/16\n").peers().getFirst().allowedIps(), "'+' adds");
        assertEquals(List.of(), parseText(twice + "AllowedIPs = -10.0.0.0/8\n").peers().getFirst().allowedIps(), "'-' removes");
        // '-' only removes the peer's own prefix; a prefix moves to the last peer that adds it.
        String two = "[Interface]\n[Peer]\nPublicKey = " + P2 + "\nAllowedIPs = 10.0.0.0/8\n[Peer]\nPublicKey = " + P3 + "\n";
        assertEquals(List.of(prefix("10.0.0.0/8")), parseText(two + "AllowedIPs = -10.0.0.0/8\n").peers().get(0).allowedIps());
        List<PeerConfig> taken = parseText(two + "AllowedIPs = 10.0.0.0/8, -10.0.0.0/8\n").peers();
        assertEquals(List.of(List.of(), List.of()), taken.stream().map(PeerConfig::allowedIps).toList());
        assertEquals("wg0.conf:4: AllowedIPs: \"-10.0.0.0/8\" is not a valid IP prefix",
                error("[Interface]\n[Peer]\nPublicKey = " + P2 + "\nAllowedIPs = +-10.0.0.0/8\n"), "one sign only");
    }

    @Test
    void missingPublicKeyIsReportedAtItsSection() {
        assertEquals("wg0.conf:5: [Peer]: missing PublicKey",
                error("[Interface]\n[Peer]\nPublicKey = " + P2 + "\n\n[Peer]\nEndpoint = 192.0.2.1:1\n"));
    }

    @Test
    void keyMaterialIsNeverShownAsAKeyName() {
        assertEquals("wg0.conf:2: line: unknown key in [Interface]", error("[Interface]\n" + K1 + "junk = 1"));
        assertEquals("wg0.conf:2: Private Kee: unknown key in [Interface]", error("[Interface]\nPrivate Kee = " + K1));
    }

    @Test
    void lastLineWithoutNewlineAndBlankLines() throws Exception {
        assertEquals(OptionalInt.of(1280), parseText("\n\n  \t\n[Interface]\n\nMTU = 1280").interfaceConfig().mtu());
    }

    @Test
    void interfaceNameComesFromTheFileName() throws Exception {
        assertEquals("wg-home", ConfigParser.parse("/etc/wireguard/wg-home.conf", new StringReader("")).interfaceName());
        assertEquals("`wg0.txt': the config file must be a valid interface name (1-15 of a-z A-Z 0-9 _ = + . -), followed by .conf",
                assertThrows(ConfigException.class, () -> ConfigParser.parse("wg0.txt", new StringReader(""))).getMessage());
    }

    @Test
    void parsesAFileNamingItInMessages(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("office.conf");
        Files.writeString(file, "[Interface]\nListenPort = 1\n");
        WgQuickConfig c = ConfigParser.parse(file);
        assertEquals("office", c.interfaceName());
        assertEquals(Optional.of(file), c.source());
        Files.writeString(file, "[Interface]\nListenPort = x\n");
        assertEquals(file + ":2: ListenPort: \"x\" is not a port number (0-65535)",
                assertThrows(ConfigException.class, () -> ConfigParser.parse(file)).getMessage());
        Files.write(file, new byte[] {'[', (byte) 0xff, ']'});
        assertEquals(file + ": not a UTF-8 text file", assertThrows(ConfigException.class, () -> ConfigParser.parse(file)).getMessage());
        assertTrue(assertThrows(ConfigException.class, () -> ConfigParser.parse(dir.resolve("gone.conf"))).getMessage()
                .startsWith(dir.resolve("gone.conf") + ": cannot read: "));
    }

    @Test
    void aFileLargerThanAnEighthOfTheHeapIsRefusedUnread(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("big.conf");
        Files.writeString(file, "[Interface]\nListenPort = 1\n" + "# padding\n".repeat(300_000)); // 3 MB
        assertEquals(file + ": 3 MiB, more than the 2 MiB jwg reads with its " + ((Runtime.getRuntime().maxMemory() + (1 << 20) - 1) >> 20)
                + " MiB heap (java -Xmx)", assertThrows(ConfigException.class, () -> ConfigParser.parse(file, w -> {}, 2 << 20)).getMessage());
        assertEquals(1, ConfigParser.parse(file, w -> {}, 4 << 20).interfaceConfig().listenPort(), "read when it fits");
        assertTrue(ConfigParser.maxFileBytes() >= Runtime.getRuntime().maxMemory() / 8);
    }

    @Test
    void linesAreNumberedAsSplitWouldNumberThem() throws Exception {
        ConfigException e = assertThrows(ConfigException.class,
                () -> ConfigParser.parse("n.conf", new StringReader("[Interface]\r\n\n\nListenPort = x\n")));
        assertTrue(e.getMessage().startsWith("n.conf:4: ListenPort: "), e.getMessage());
        ConfigException last = assertThrows(ConfigException.class,
                () -> ConfigParser.parse("n.conf", new StringReader("[Interface]\nListenPort = x")));
        assertTrue(last.getMessage().startsWith("n.conf:2: ListenPort: "), last.getMessage());
    }
}
