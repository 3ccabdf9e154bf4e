package jwg.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A parsed wg-quick configuration file.
 *
 * @param interfaceName the name the interface gets: the file name without ".conf"
 * @param source        the file as it was named (not resolved through symlinks), absent when
 *                      parsed from a reader; SaveConfig writes to its real path
 */
public record WgQuickConfig(String interfaceName, InterfaceConfig interfaceConfig, List<PeerConfig> peers,
                            Optional<Path> source) {
    public WgQuickConfig {
        peers = List.copyOf(peers);
    }
}
