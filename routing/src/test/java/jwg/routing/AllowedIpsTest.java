package jwg.routing;

import jwg.net.IpPrefix;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class AllowedIpsTest {

    @Test
    void orderIsThatOfWgQuicksSort() throws Exception {
        Random random = new Random(7);
        for (int round = 0; round < 20; round++) {
            List<IpPrefix> prefixes = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                byte[] raw = new byte[random.nextBoolean() ? 4 : 16];
                random.nextBytes(raw);
                if (random.nextInt(4) == 0) {
                    raw[0] = 0; // leading zeros and "::" forms
                    raw[1] = 0;
                }
                int[] lengths = {0, 8, 16, 24, 32, 48, 64, 128};
                int length = Math.min(lengths[random.nextInt(lengths.length)], raw.length * 8);
                prefixes.add(new IpPrefix(raw, length));
            }
            List<String> masked = prefixes.stream().map(p -> p.masked().toString()).distinct().toList();
            assertEquals(sortLikeWgQuick(masked), AllowedIps.inRouteOrder(prefixes).stream().map(IpPrefix::toString).toList());
        }
    }

    @Test
    void maskedAndEachOnce() {
        List<IpPrefix> order = AllowedIps.inRouteOrder(List.of(IpPrefix.parse("10.8.3.1/16"), IpPrefix.parse("10.8.0.0/16"),
                IpPrefix.parse("0.0.0.0/0"), IpPrefix.parse("::/0"), IpPrefix.parse("10.9.0.1")));
        assertEquals("[10.9.0.1/32, 10.8.0.0/16, ::/0, 0.0.0.0/0]", order.toString());
    }

    /** {@code sort -nr -k 2 -t /} with LC_ALL=C, as cmd_up runs it. */
    private static List<String> sortLikeWgQuick(List<String> lines) throws Exception {
        ProcessBuilder builder = new ProcessBuilder("sort", "-nr", "-k", "2", "-t", "/");
        builder.environment().put("LC_ALL", "C");
        Process sort = builder.start();
        try (var in = sort.getOutputStream()) {
            in.write((String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8));
        }
        List<String> sorted = new String(sort.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        assertEquals(0, sort.waitFor());
        return sorted;
    }
}
