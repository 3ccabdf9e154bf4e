package jwg.config;

import jwg.routing.Table;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

class ConfigWriterTest {
    @TestFactory
    Stream<DynamicTest> everyGoodFixtureRoundTrips() {
        return Fixtures.list("good").stream().map(name -> DynamicTest.dynamicTest(name, () -> {
            WgQuickConfig parsed = Fixtures.parse("good/" + name);
            String written = ConfigWriter.write(parsed);
            assertEquals(parsed, Fixtures.parseText(written), written);
            assertEquals(written, ConfigWriter.write(Fixtures.parseText(written)), "writing is stable");
        }));
    }

    @Test
    void writesWgQuickKeysThenShowconfOrder() throws Exception {
        String expected = """
                [Interface]
                Address = 10.10.0.5/24
                Address = fd10::5/64
                DNS = 1.1.1.1, 2606:4700:4700::1111, search.example
                MTU = 1380
                Table = main
                ListenPort = 2000
                PrivateKey = %s

                [Peer]
                PublicKey = %s
                AllowedIPs = 10.10.0.0/24, fd10::/64, 10.10.1.0/24
                Endpoint = 192.0.2.2:51820
                PersistentKeepalive = 25
                """.formatted(Fixtures.K1, Fixtures.P6);
        assertEquals(expected, ConfigWriter.write(Fixtures.parse("good/messy.conf")));
    }

    @Test
    void writesHooksFwMarkAndPresharedKeys() throws Exception {
        String hooks = ConfigWriter.write(Fixtures.parse("good/hooks.conf"));
        assertEquals(true, hooks.contains("\nTable = off\nPreUp = sysctl -w net.ipv4.ip_forward=1\nPostUp = iptables -A FORWARD -i %i"));
        assertEquals(true, hooks.contains("\nPostUp = echo \"up %i\" > /tmp/%i.state # a comment stays part of the command\n"));
        String split = ConfigWriter.write(Fixtures.parse("good/split-tunnel.conf"));
        assertEquals(true, split.contains("\nTable = 1234\nFwMark = 0x1234\n"));
        String multi = ConfigWriter.write(Fixtures.parse("good/multi-peer.conf"));
        assertEquals(true, multi.contains("\nSaveConfig = true\n"));
        assertEquals(true, multi.contains("\nPresharedKey = " + Fixtures.PSK + "\n"));
    }

    @Test
    void incrementalResultRoundTrips() throws Exception {
        WgQuickConfig c = Fixtures.parseText("[Interface]\n[Peer]\nPublicKey = " + Fixtures.P2
                + "\nAllowedIPs = 10.0.0.0/8, -10.0.0.0/8, +10.1.0.0/16\nEndpoint = [fe80::1%lo]:9\n");
        assertEquals(c, Fixtures.parseText(ConfigWriter.write(c)));
    }
}
