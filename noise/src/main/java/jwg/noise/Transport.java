package jwg.noise;

import java.nio.ByteBuffer;

/**
 * Transport data messages, whitepaper 5.4.6: type 4, receiver index (u32), counter (u64), then the
 * encrypted, padded packet and its tag; all little-endian. The methods work in place on a buffer
 * at a given offset, independent of the buffer's byte order, and allocate nothing.
 */
public final class Transport {
    private Transport() {}

    public static final int RECEIVER_OFFSET = 4;
    public static final int COUNTER_OFFSET = 8;
    public static final int CONTENT_OFFSET = Protocol.TRANSPORT_HEADER_LEN;

    /** The receiver index of the transport message starting at buf[offset]. */
    public static int receiverIndex(ByteBuffer buf, int offset) {
        return Wire.getInt(buf, offset + RECEIVER_OFFSET);
    }

    /** The counter (nonce) of the transport message starting at buf[offset]; unsigned. */
    public static long counter(ByteBuffer buf, int offset) {
        return Wire.getLong(buf, offset + COUNTER_OFFSET);
    }

    /** Writes the 16-byte header (type 4 with zero reserved bytes, receiver, counter) at buf[offset]. */
    public static void writeHeader(ByteBuffer buf, int offset, int receiverIndex, long counter) {
        Wire.putInt(buf, offset, Protocol.TYPE_TRANSPORT);
        Wire.putInt(buf, offset + RECEIVER_OFFSET, receiverIndex);
        Wire.putLong(buf, offset + COUNTER_OFFSET, counter);
    }

    /**
     * The number of zero bytes to append to a plaintext packet of length len before encryption
     * (5.4.6: padded to a multiple of 16, but not beyond the MTU). Computed as the kernel's
     * calculate_skb_padding and wireguard-go's calculatePaddingSize: a packet longer than the MTU
     * (GSO) is padded according to its last MTU-sized unit; mtu 0 means unknown (pad to 16).
     * A keepalive (len 0) gets no padding.
     */
    public static int paddingLength(int len, int mtu) {
        int lastUnit = len;
        if (mtu == 0) return roundUp16(lastUnit) - lastUnit;
        if (lastUnit > mtu) lastUnit %= mtu;
        return Math.min(roundUp16(lastUnit), mtu) - lastUnit;
    }

    /** len plus {@link #paddingLength}. */
    public static int paddedLength(int len, int mtu) {
        return len + paddingLength(len, mtu);
    }

    /** The size of the whole transport message carrying a plaintext of length len. */
    public static int messageLength(int len, int mtu) {
        return Protocol.TRANSPORT_HEADER_LEN + paddedLength(len, mtu) + Protocol.AEAD_TAG_LEN;
    }

    private static int roundUp16(int n) {
        return (n + Protocol.PADDING_MULTIPLE - 1) & -Protocol.PADDING_MULTIPLE;
    }
}
