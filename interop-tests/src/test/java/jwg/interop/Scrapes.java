package jwg.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import jwg.interop.fixture.ExecResult;
import jwg.interop.fixture.Netns;

/** What jwg's metrics endpoint (--metrics) serves: fetched with curl, checked with Debian's promtool, read by sample. */
final class Scrapes {
    private Scrapes() {
    }

    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)\\})? (\\S+)$");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"([^\"]*)\"");

    /** GET http://address/metrics from ns. */
    static String scrape(Netns ns, String address) {
        return ns.exec("curl", "-sf", "http://" + address + "/metrics").orThrow().stdout();
    }

    /** `promtool check metrics` passes text. */
    static void promtool(Netns ns, String text) {
        ExecResult r = ns.exec(Duration.ofSeconds(20), text.getBytes(StandardCharsets.UTF_8), List.of("promtool", "check", "metrics"));
        assertTrue(r.ok(), r.describe() + "\n" + text);
    }

    /** The value of the one sample of name whose labels include these. */
    static double value(String text, String name, Map<String, String> labels) {
        List<Double> found = new ArrayList<>();
        for (String line : text.lines().toList()) {
            Matcher m = SAMPLE.matcher(line);
            if (line.startsWith("#") || !m.matches() || !m.group(1).equals(name)) continue;
            Map<String, String> have = new HashMap<>();
            Matcher l = LABEL.matcher(m.group(2) == null ? "" : m.group(2));
            while (l.find()) have.put(l.group(1), l.group(2));
            if (have.entrySet().containsAll(labels.entrySet())) found.add(Double.parseDouble(m.group(3)));
        }
        assertEquals(1, found.size(), name + labels + " in\n" + text);
        return found.getFirst();
    }
}
