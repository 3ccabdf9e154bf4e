package jwg.routing;

import java.util.List;

/**
 * wg-quick's execute_hooks: each command with "%i" replaced by the interface name, printed, then
 * run by bash with wg-quick's shell options (set -e -o pipefail, extglob); the first failure stops.
 */
final class HookRunner {
    private HookRunner() {}

    static void run(Processes processes, CommandLog log, String interfaceName, String phase, List<String> hooks)
            throws WgQuickException {
        for (String hook : hooks) {
            String command = hook.replace("%i", interfaceName);
            log.command(command);
            int status = processes.status(List.of("bash", "-e", "-o", "pipefail", "-O", "extglob", "-c", command), null);
            if (status != 0) {
                throw new WgQuickException(phase + " `" + command + "' failed with exit status " + status);
            }
        }
    }
}
