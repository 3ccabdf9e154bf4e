package jwg.datapath.tun;

import io.netty.buffer.ByteBuf;

/**
 * Where the datapath writes decrypted packets: the TUN ({@link TunHandle}; in tests, memory).
 * Used on the device's event loop.
 */
public interface TunSink {
    /**
     * Writes [virtio_net_hdr | IP packet] from buf[index, index + length). Returns 0, or the errno
     * the packet was refused with (EINVAL: a malformed packet or an offload the kernel does not take).
     */
    int write(ByteBuf buf, int index, int length);
}
