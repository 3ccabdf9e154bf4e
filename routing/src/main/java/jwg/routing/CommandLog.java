package jwg.routing;

import java.util.function.Consumer;

/** wg-quick's output: "[#] COMMAND" before each step (its cmd() and execute_hooks), "[!] TEXT" for warnings. */
final class CommandLog {
    private final Consumer<String> sink;

    CommandLog(Consumer<String> sink) {
        this.sink = sink;
    }

    void command(String command) {
        sink.accept("[#] " + command);
    }

    void warning(String text) {
        sink.accept("[!] " + text);
    }
}
