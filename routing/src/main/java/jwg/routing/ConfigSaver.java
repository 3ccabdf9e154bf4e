package jwg.routing;

import java.io.IOException;

/** wg-quick's save_config, run by {@link Session#down} after PreDown when SaveConfig is true. */
@FunctionalInterface
public interface ConfigSaver {
    void save() throws IOException;
}
