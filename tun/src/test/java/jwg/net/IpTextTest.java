package jwg.net;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

class IpTextTest {

    /** Expected values: glibc's inet_ntop (what ip and wg print), taken with Python's socket.inet_ntop. */
    @ParameterizedTest
    @CsvSource({
        "::, ::",
        "::1, ::1",
        "::2, ::2",
        "fd00::1, fd00::1",
        "1:0:0:1:0:0:0:1, 1:0:0:1::1",
        "1:0:0:2:3:0:0:4, 1::2:3:0:0:4",
        "::ffff:1.2.3.4, ::ffff:1.2.3.4",
        "::102:304, ::1.2.3.4",
        "1::, 1::",
        "1:2:3:4:5:6:7:8, 1:2:3:4:5:6:7:8",
        "0:1:0:0:0:0:0:0, 0:1::",
        "2001:db8:0:1:0:0:0:1, 2001:db8:0:1::1",
        "FE80::A9BA:8C05:C988:E3CD, fe80::a9ba:8c05:c988:e3cd",
        "0:0:0:0:ffff:0:102:304, ::ffff:0:102:304",
        "0:0:0:0:0:1:0:0, ::1:0:0",
        "1:0:2:3:4:5:6:7, 1:0:2:3:4:5:6:7",
        "10.7.0.2, 10.7.0.2",
        "255.0.0.1, 255.0.0.1",
    })
    void formatsAsInetNtop(String address, String expected) {
        assertEquals(expected, IpText.format(IpPrefix.parse(address).address()));
    }
}
