package jwg.cli.uapi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import jwg.datapath.DeviceState;
import jwg.datapath.PeerState;
import org.junit.jupiter.api.Test;

/** `jwg save`'s reading of a `get` reply: what {@link GetWriter} (as wireguard-go) writes comes back; a bad reply is refused. */
class UapiClientTest {
    private static DeviceState read(String reply) throws Exception {
        return UapiClient.read(new LineReader(Channels.newChannel(new ByteArrayInputStream(reply.getBytes(StandardCharsets.US_ASCII))),
                UapiConnection.MAX_LINE));
    }

    @Test
    void whatGetWritesComesBack() throws Exception {
        byte[] psk = new byte[32];
        psk[0] = 7;
        InetSocketAddress endpoint = new InetSocketAddress(InetAddress.getByName("2001:db8::5"), 4);
        DeviceState written = new DeviceState(Optional.of(HexFormat.of().parseHex(SetParserTest.K1)), 51820, 0xffff_fff0, List.of(
                new PeerState(HexFormat.of().parseHex(SetParserTest.K2), psk, Optional.of(endpoint), 1_700_000_000_123_456_789L, 100, -1, 25,
                        List.of(SetParserTest.ip("10.0.0.0", 24), SetParserTest.ip("fd00::", 64))),
                new PeerState(HexFormat.of().parseHex(SetParserTest.K3), new byte[32], Optional.empty(), 0, 0, 0, 0, List.of())));
        StringBuilder reply = new StringBuilder();
        GetWriter.write(written, reply);
        DeviceState read = read(reply + "errno=0\n\n");
        assertArrayEquals(written.privateKey().orElseThrow(), read.privateKey().orElseThrow());
        assertEquals(51820, read.listenPort());
        assertEquals(0xffff_fff0, read.fwmark());
        assertEquals(2, read.peers().size());
        PeerState first = read.peers().getFirst();
        assertArrayEquals(HexFormat.of().parseHex(SetParserTest.K2), first.publicKey());
        assertArrayEquals(psk, first.presharedKey());
        assertEquals(Optional.of(endpoint), first.endpoint());
        assertEquals(25, first.persistentKeepalive());
        assertEquals(written.peers().getFirst().allowedIps(), first.allowedIps());
        assertEquals(Optional.empty(), read.peers().get(1).endpoint());
        assertArrayEquals(new byte[32], read.peers().get(1).presharedKey());
        assertEquals(Optional.empty(), read("errno=0\n\n").privateKey(), "a device without a key");
    }

    @Test
    void aBadReplyIsRefused() {
        assertTrue(assertThrows(UapiException.class, () -> read("errno=-22\n\n")).getMessage().contains("errno=-22"));
        assertThrows(UapiException.class, () -> read("listen_port=51820\n"), "no errno line");
        assertThrows(UapiException.class, () -> read("frobnicate=1\nerrno=0\n\n"));
        assertThrows(UapiException.class, () -> read("public_key=" + SetParserTest.K2 + "\nrx_bytes=-1\nerrno=0\n\n"));
        assertThrows(UapiException.class, () -> read("listen_port\nerrno=0\n\n"));
    }
}
