package jwg.routing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Where wg-quick's programs and files are on this host. {@link #system()} is the real host; tests
 * give other places (a PATH without nft, a fake resolvconf, a private state directory).
 *
 * @param path the PATH used to find and run programs (nft, resolvconf, iptables-restore, bash)
 * @param resolvconfDirectory /etc/resolvconf (Debian's resolvconf: interface-order, run/interface)
 * @param procSys /proc/sys
 * @param iproute2Directories where rt_tables is looked for, first found wins
 * @param stateDirectory where jwg keeps per network namespace what a run has set up, for crash recovery
 * @param output where the programs' standard output and errors go (jwg's own, as wg-quick's)
 */
record Host(String path, Path resolvconfDirectory, Path procSys, List<Path> iproute2Directories, Path stateDirectory,
        ProcessBuilder.Redirect output) {

    static Host system() {
        String path = System.getenv("PATH");
        return new Host(path == null ? "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" : path,
                Path.of("/etc/resolvconf"), Path.of("/proc/sys"),
                List.of(Path.of("/etc/iproute2"), Path.of("/usr/share/iproute2")), Path.of("/run/jwg"),
                ProcessBuilder.Redirect.INHERIT);
    }

    /** bash's {@code type -p PROGRAM}: the first executable file of that name in {@link #path}. */
    Optional<Path> find(String program) {
        for (String directory : path.split(":")) {
            if (directory.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(directory, program);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }
}
