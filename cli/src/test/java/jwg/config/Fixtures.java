package jwg.config;

import jwg.net.IpPrefix;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** The fixture files under src/test/resources/config/{good,bad}. */
final class Fixtures {
    static final String K1 = "yJujArxZGANCqtmOTfOknwkUi9DW7ivqOvPZd5OEDWM=";
    static final String K2 = "kK/caCCymsBzMTYTORc2aVAGWrc5O4NM7yiZBlTTSFA=";
    static final String K3 = "gNmkMj9LIln+aVaes1O1K4YOhgZtpmsEqTKmws7/bHM=";
    static final String K4 = "SFpbaGjwQLz/157NKnzF1RoamhxV0KXIY+Ea9IPeLUs=";
    static final String P1 = "EfKfYuN+9/8UznubxQWY/Oc1jniDfu5JmRq/ywDgDTQ=";
    static final String P2 = "16GSk7VQNnqlhBCig192fP12juYXG29qq4+3Uh61E1o=";
    static final String P3 = "7tu/Fzl6vOFOsr/j495wzab3ITU0iF8XIiPH4sXrsmE=";
    static final String P4 = "w3Nfnx94UlWegTvZvCGQ6DLmTNgifAfxnw2eH3GSnDI=";
    static final String P5 = "QCpG7/76PBD7pZjvMO659RnbFp9Qj8T0seHbwixbB2U=";
    static final String P6 = "+K+uI9twAmRREUf7zE0vN58WuuQ/LqljxerFYhMMnXc=";
    static final String PSK = "NqpL/ybIKfBOCbqaRwnKVmECMkMkV60Jt0hsp02GMXY=";

    private Fixtures() {}

    static String text(String name) {
        try (InputStream in = Fixtures.class.getResourceAsStream("/config/" + name)) {
            if (in == null) throw new IllegalArgumentException("no fixture " + name);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Parses a fixture under the file name wg0.conf. */
    static WgQuickConfig parse(String name) throws ConfigException {
        return parseText(text(name));
    }

    static WgQuickConfig parseText(String text) throws ConfigException {
        return ConfigParser.parse("wg0.conf", new StringReader(text));
    }

    /** The fixture file names in good/ or bad/. */
    static List<String> list(String directory) {
        try {
            Path dir = Path.of(Fixtures.class.getResource("/config/" + directory).toURI());
            try (Stream<Path> files = Files.list(dir)) {
                return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".conf")).sorted().toList();
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static Key key(String base64) {
        return Key.fromBase64(base64);
    }

    static IpPrefix prefix(String text) {
        return PrefixSyntax.parse(text);
    }
}
