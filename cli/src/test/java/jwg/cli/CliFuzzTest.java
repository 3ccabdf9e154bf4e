package jwg.cli;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import jwg.cli.uapi.UapiSetFuzz;
import jwg.config.ConfigParserFuzz;
import org.junit.jupiter.api.AfterAll;

/**
 * Coverage-guided fuzzing (Jazzer) of what users and local clients hand jwg: wg-quick files
 * ({@link ConfigParserFuzz}) and the UAPI's `set` ({@link UapiSetFuzz}, on a real device in a
 * network namespace). One @FuzzTest whose first choice picks the target, since Jazzer fuzzes one
 * per JVM and each JVM costs seconds to start.
 */
class CliFuzzTest {
    @FuzzTest(maxDuration = "10s")
    void cli(FuzzedDataProvider data) throws Exception {
        if (data.consumeBoolean()) ConfigParserFuzz.run(data);
        else UapiSetFuzz.run(data);
    }

    @AfterAll
    static void stop() throws Exception {
        UapiSetFuzz.close();
    }
}
