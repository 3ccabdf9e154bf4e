package jwg.cli.uapi;

import jwg.net.IpPrefix;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import jwg.datapath.AllowedIpChange;
import jwg.datapath.DeviceUpdate;
import jwg.datapath.PeerUpdate;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** The `set` body: every key of wireguard.com/xplatform, and wireguard-go's errno for each mistake. */
class SetParserTest {
    static final String K1 = "e84b5a6d2717c1003a13b431570353dbaca9146cf150c5f8575680feba52027a";
    static final String K2 = "b85996fecc9c7f1fc6d2572a76eda11d59bcd20be8e543b15ce4bd85a8e75a33";
    static final String K3 = "c2e1a7ac4a0a0e2ae2e8a1d2df85ac55c2e36bfe0fbd0bd6c1a3c8e9c3b81f7a";

    private static DeviceUpdate parse(String... lines) throws UapiException {
        SetParser p = new SetParser();
        for (String l : lines) p.line(l);
        return p.update();
    }

    private static int errno(String... lines) {
        return assertThrows(UapiException.class, () -> parse(lines)).errno();
    }

    @Test
    void deviceKeys() throws Exception {
        DeviceUpdate u = parse("private_key=" + K1, "listen_port=51820", "fwmark=4294967295", "replace_peers=true");
        assertArrayEquals(HexFormat.of().parseHex(K1), u.privateKey().orElseThrow());
        assertEquals(OptionalInt.of(51820), u.listenPort());
        assertEquals(OptionalInt.of(-1), u.fwmark(), "fwmark is an unsigned 32-bit value");
        assertTrue(u.replacePeers());
        assertTrue(u.peers().isEmpty());
    }

    @Test
    void nothingGivenChangesNothing() throws Exception {
        DeviceUpdate u = parse();
        assertTrue(u.privateKey().isEmpty());
        assertTrue(u.listenPort().isEmpty());
        assertTrue(u.fwmark().isEmpty());
        assertFalse(u.replacePeers());
    }

    @Test
    void everyPeerKey() throws Exception {
        DeviceUpdate u = parse("public_key=" + K1, "preshared_key=" + K2.toUpperCase(), "endpoint=[2001:db8::1]:51820",
                "persistent_keepalive_interval=25", "replace_allowed_ips=true", "allowed_ip=10.0.0.0/24",
                "allowed_ip=-fd00::/64", "protocol_version=1", "update_only=true");
        PeerUpdate p = u.peers().getFirst();
        assertArrayEquals(HexFormat.of().parseHex(K1), p.publicKey());
        assertArrayEquals(HexFormat.of().parseHex(K2), p.presharedKey().orElseThrow(), "hex in either case");
        assertEquals(Optional.of(new InetSocketAddress(InetAddress.getByName("2001:db8::1"), 51820)), p.endpoint());
        assertEquals(OptionalInt.of(25), p.persistentKeepalive());
        assertTrue(p.replaceAllowedIps());
        assertTrue(p.updateOnly());
        assertFalse(p.remove());
        assertEquals(List.of(AllowedIpChange.add(ip("10.0.0.0", 24)), AllowedIpChange.remove(ip("fd00::", 64))), p.allowedIps());
    }

    @Test
    void peersInOrderAndTheSameKeyTwice() throws Exception {
        DeviceUpdate u = parse("public_key=" + K1, "allowed_ip=10.0.0.1/32", "public_key=" + K2, "remove=true",
                "public_key=" + K1, "endpoint=192.0.2.1:1");
        assertEquals(3, u.peers().size());
        assertArrayEquals(HexFormat.of().parseHex(K2), u.peers().get(1).publicKey());
        assertTrue(u.peers().get(1).remove());
        assertTrue(u.peers().get(2).allowedIps().isEmpty());
        assertTrue(u.peers().get(2).endpoint().isPresent());
    }

    @Test
    void replaceAllowedIpsDropsWhatTheSectionAddedBefore() throws Exception {
        PeerUpdate p = parse("public_key=" + K1, "allowed_ip=10.0.0.1/32", "replace_allowed_ips=true", "allowed_ip=10.0.0.2/32")
                .peers().getFirst();
        assertEquals(List.of(AllowedIpChange.add(ip("10.0.0.2", 32))), p.allowedIps());
    }

    @Test
    void linesAfterRemoveAreCheckedButIgnored() throws Exception {
        PeerUpdate p = parse("public_key=" + K1, "remove=true", "endpoint=192.0.2.1:1", "allowed_ip=10.0.0.1/32").peers().getFirst();
        assertTrue(p.remove());
        assertTrue(p.endpoint().isEmpty());
        assertTrue(p.allowedIps().isEmpty());
        assertEquals(UapiException.EINVAL, errno("public_key=" + K1, "remove=true", "endpoint=nonsense"));
    }

    @Test
    void aLineWithoutEqualsIsAProtocolError() {
        assertEquals(UapiException.EPROTO, errno("listen_port"));
        assertEquals(UapiException.EPROTO, errno("public_key=" + K1, "remove"));
        assertEquals(UapiException.EPROTO, errno(K1));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "private_key=00",
            "private_key=" + K1 + "00",
            "private_key=zz4b5a6d2717c1003a13b431570353dbaca9146cf150c5f8575680feba52027a",
            "listen_port=65536",
            "listen_port=-1",
            "listen_port=+1",
            "listen_port=",
            "listen_port=0x10",
            "fwmark=4294967296",
            "'fwmark=1 '",
            "replace_peers=false",
            "replace_peers=TRUE",
            "protocol_version=1",
            "endpoint=192.0.2.1:1",
            "unknown=1",
            "public_key=00",
    })
    void badDeviceLinesAreInvalid(String line) {
        assertEquals(UapiException.EINVAL, errno(line));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "update_only=false",
            "remove=1",
            "preshared_key=" + K2 + "0",
            "endpoint=192.0.2.1",
            "endpoint=192.0.2.1:",
            "endpoint=192.0.2.1:65536",
            "endpoint=example.com:51820",
            "endpoint=2001:db8::1:51820",
            "endpoint=[2001:db8::1]51820",
            "endpoint=[192.0.2.1]:51820",
            "endpoint=[fe80::1%]:51820",
            "endpoint=010.0.0.1:51820",
            "persistent_keepalive_interval=65536",
            "persistent_keepalive_interval=off",
            "replace_allowed_ips=yes",
            "allowed_ip=10.0.0.1",
            "allowed_ip=10.0.0.0/33",
            "allowed_ip=10.0.0.0/024",
            "allowed_ip=fd00::/129",
            "allowed_ip=fe80::1%1/64",
            "allowed_ip=--10.0.0.0/8",
            "allowed_ip=10.0.0/8",
            "protocol_version=2",
            "listen_port=1",
            "private_key=" + K2,
            "unknown=1",
    })
    void badPeerLinesAreInvalid(String line) {
        assertEquals(UapiException.EINVAL, errno("public_key=" + K1, line));
    }

    @Test
    void aValueMayContainEquals() {
        assertEquals(UapiException.EINVAL, errno("listen_port=1=2"));
    }

    @Test
    void zoneAndZeroValuesAreAccepted() throws Exception {
        PeerUpdate p = parse("public_key=" + K1, "endpoint=[fe80::1%7]:0", "persistent_keepalive_interval=0",
                "preshared_key=" + "0".repeat(64), "allowed_ip=0.0.0.0/0", "allowed_ip=::/0").peers().getFirst();
        assertEquals(7, ((java.net.Inet6Address) p.endpoint().orElseThrow().getAddress()).getScopeId());
        assertEquals(OptionalInt.of(0), p.persistentKeepalive());
        assertArrayEquals(new byte[32], p.presharedKey().orElseThrow());
        assertEquals(2, p.allowedIps().size());
        assertEquals(OptionalInt.of(80), parse("listen_port=0080").listenPort(), "ParseUint takes leading zeros");
    }

    @Test
    void theErrorMessageNeverHoldsAKey() {
        UapiException e = assertThrows(UapiException.class, () -> parse("private_key=" + K1.substring(1) + "x"));
        assertFalse(e.getMessage().contains(K1.substring(1, 20)), e.getMessage());
        e = assertThrows(UapiException.class, () -> parse("listen_port=" + K1));
        assertFalse(e.getMessage().contains(K1), e.getMessage());
    }

    static IpPrefix ip(String address, int bits) throws Exception {
        return new IpPrefix(InetAddress.getByName(address).getAddress(), bits);
    }
}
