package jwg.datapath;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import jwg.datapath.ip.IpPacketFuzz;
import jwg.datapath.offload.OffloadFuzz;

/**
 * Coverage-guided fuzzing (Jazzer) of the datapath's parsers: transport decryption on the real
 * inbound path ({@link TransportFuzz}), IP header reads ({@link IpPacketFuzz}), and virtio_net_hdr,
 * GSO splitting and coalescing ({@link OffloadFuzz}). One @FuzzTest whose first choice picks the
 * target, since Jazzer fuzzes one per JVM and each JVM costs seconds to start; the coverage
 * feedback tells the targets apart all the same.
 */
class DatapathFuzzTest {
    @FuzzTest(maxDuration = "14s")
    void datapath(FuzzedDataProvider data) {
        switch (data.consumeInt(0, 4)) {
            case 0 -> TransportFuzz.run(data);
            case 1 -> IpPacketFuzz.run(data);
            default -> OffloadFuzz.run(data);
        }
    }
}
