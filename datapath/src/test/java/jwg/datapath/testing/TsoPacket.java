package jwg.datapath.testing;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * An IPv4 TCP super-packet with timestamps, as a TUN with TSO hands it over: virtio_net_hdr
 * (NEEDS_CSUM; TCPV4 with gso_size mss when the payload needs cutting) then the IP packet.
 */
public final class TsoPacket {
    private TsoPacket() {}

    public static int write(ByteBuffer b, int payload, int mss) {
        int ip = 10, tcp = ip + 20, ipLen = 20 + 32 + payload;
        byte[] zeros = new byte[10 + ipLen];
        b.put(0, zeros);
        b.put(0, (byte) 1).put(1, (byte) (payload > mss ? 1 : 0)); // NEEDS_CSUM, TCPV4 when it needs cutting
        b.putShort(2, Short.reverseBytes((short) 52)).putShort(4, Short.reverseBytes((short) (payload > mss ? mss : 0)));
        b.putShort(6, Short.reverseBytes((short) 20)).putShort(8, Short.reverseBytes((short) 16));
        b.put(ip, (byte) 0x45).putShort(ip + 2, (short) ipLen).putShort(ip + 6, (short) 0x4000).put(ip + 8, (byte) 64).put(ip + 9, (byte) 6);
        b.put(ip + 12, new byte[] {10, 0, 0, 1}).put(ip + 16, new byte[] {10, 0, 0, 2});
        b.putShort(tcp, (short) 40000).putShort(tcp + 2, (short) 5201).putInt(tcp + 4, 1000).putInt(tcp + 8, 2000);
        b.put(tcp + 12, (byte) 0x80).put(tcp + 13, (byte) 0x18).putShort(tcp + 14, (short) 512);
        b.put(tcp + 20, new byte[] {1, 1, 8, 10, 0, 0, 0, 1, 0, 0, 0, 2});
        byte[] data = new byte[payload];
        Arrays.fill(data, (byte) 0x5a);
        b.put(tcp + 32, data);
        return 10 + ipLen;
    }
}
