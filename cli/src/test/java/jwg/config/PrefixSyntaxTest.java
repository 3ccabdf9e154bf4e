package jwg.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PrefixSyntaxTest {
    @ParameterizedTest
    @CsvSource({"10.0.0.1, 10.0.0.1/32", "10.0.0.1/24, 10.0.0.1/24", "10.0.0.0/024, 10.0.0.0/24", "0.0.0.0/0, 0.0.0.0/0",
            "fd00::1, fd00::1/128", "FD00::/8, fd00::/8", "::/0, ::/0", "::ffff:10.0.0.1/128, ::ffff:10.0.0.1/128"})
    void parsesWgSyntax(String text, String printed) {
        assertEquals(printed, PrefixSyntax.parse(text).toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.0.0.0/33", "fd00::/129", "10.0.0.300/24", "10.0.0.1/", "10.0.0.1/+8", "10.0.0.1/-1", "10.0.0.1/0x8",
            "10.0.0.1/24/1", "10.0.0/8", "", "/8", "fd00::1%lo/64", "host.example/32"})
    void refusesWhatWgRefuses(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PrefixSyntax.parse(text));
        assertEquals("\"" + text + "\" is not a valid IP prefix", e.getMessage());
    }

    @Test
    void interfaceAddressesTakeIproute2PrefixNumbers() {
        assertEquals(24, PrefixSyntax.interfaceAddress("10.0.0.1/0x18").length());
        assertEquals(24, PrefixSyntax.interfaceAddress("10.0.0.1/030").length(), "octal, as strtoul base 0 reads it");
        assertEquals(128, PrefixSyntax.interfaceAddress("fd00::1").length());
        assertThrows(IllegalArgumentException.class, () -> PrefixSyntax.interfaceAddress("10.0.0.1/33"));
    }

}
