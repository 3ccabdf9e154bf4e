package jwg.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

class BadFixturesTest {
    @TestFactory
    Stream<DynamicTest> eachBrokenFileFailsWithItsOneLineMessage() {
        return Fixtures.list("bad").stream().map(name -> DynamicTest.dynamicTest(name, () -> {
            BadFixtures.Expected expected = BadFixtures.EXPECTED.get(name);
            assertNotNull(expected, "no expected message for bad/" + name);
            ConfigException e = assertThrows(ConfigException.class, () -> Fixtures.parse("bad/" + name));
            assertEquals(expected.message(), e.getMessage());
            assertFalse(e.getMessage().contains("\n"));
        }));
    }

    @Test
    void everyExpectationHasItsFixture() {
        assertEquals(BadFixtures.EXPECTED.keySet(), java.util.Set.copyOf(Fixtures.list("bad")));
    }

    @Test
    void noMessageShowsKeyMaterial() {
        for (String name : Fixtures.list("bad")) {
            String message = assertThrows(ConfigException.class, () -> Fixtures.parse("bad/" + name)).getMessage();
            Matcher keyLike = Pattern.compile("[A-Za-z0-9+/]{30,}").matcher(Fixtures.text("bad/" + name));
            while (keyLike.find()) assertFalse(message.contains(keyLike.group().substring(0, 12)), name + ": " + message);
        }
    }
}
