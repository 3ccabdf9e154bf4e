package jwg.cli.uapi;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import jwg.datapath.DeviceState;
import jwg.datapath.PeerState;
import org.junit.jupiter.api.Test;

/** The `get` reply, line for line as wireguard-go's IpcGetOperation writes it. */
class GetWriterTest {
    @Test
    void aConfiguredDevice() throws Exception {
        byte[] psk = new byte[32];
        psk[31] = 1;
        DeviceState s = new DeviceState(Optional.of(HexFormat.of().parseHex(SetParserTest.K1)), 51820, 0xffff_fff0, List.of(
                new PeerState(HexFormat.of().parseHex(SetParserTest.K2), psk,
                        Optional.of(new InetSocketAddress(InetAddress.getByName("2001:db8::5"), 4)),
                        1_700_000_000_123_456_789L, 100, 200, 25,
                        List.of(SetParserTest.ip("10.0.0.0", 24), SetParserTest.ip("fd00::", 64))),
                new PeerState(HexFormat.of().parseHex(SetParserTest.K3), new byte[32], Optional.empty(), 0, 0, -1, 0, List.of())));
        StringBuilder out = new StringBuilder();
        GetWriter.write(s, out);
        assertEquals("""
                private_key=%s
                listen_port=51820
                fwmark=4294967280
                public_key=%s
                preshared_key=0000000000000000000000000000000000000000000000000000000000000001
                protocol_version=1
                endpoint=[2001:db8::5]:4
                last_handshake_time_sec=1700000000
                last_handshake_time_nsec=123456789
                tx_bytes=200
                rx_bytes=100
                persistent_keepalive_interval=25
                allowed_ip=10.0.0.0/24
                allowed_ip=fd00::/64
                public_key=%s
                preshared_key=0000000000000000000000000000000000000000000000000000000000000000
                protocol_version=1
                last_handshake_time_sec=0
                last_handshake_time_nsec=0
                tx_bytes=18446744073709551615
                rx_bytes=0
                persistent_keepalive_interval=0
                """.formatted(SetParserTest.K1, SetParserTest.K2, SetParserTest.K3), out.toString());
    }

    @Test
    void anUnconfiguredDeviceHasOnlyItsPort() throws Exception {
        StringBuilder out = new StringBuilder();
        GetWriter.write(new DeviceState(Optional.empty(), 40000, 0, List.of()), out);
        assertEquals("listen_port=40000\n", out.toString());
    }
}
