package jwg.routing;

import jwg.net.IpText;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * wg-quick's set_dns and unset_dns: the DNS servers and search domains go to resolvconf (Debian's
 * resolvconf, openresolv, or systemd's resolvconf, which is resolvectl) under the interface's name.
 */
final class ResolvConf {
    private static final Pattern PREFIX_LINE = Pattern.compile("^([A-Za-z0-9-]+)\\*$");

    private ResolvConf() {}

    /**
     * wg-quick's {@code $(resolvconf_iface_prefix)$INTERFACE}: with Debian's resolvconf, the
     * interface-order entry it sorts first ("tun.") prefixes the name.
     */
    static String entryName(Context c) {
        Path order = c.host().resolvconfDirectory().resolve("interface-order");
        Optional<Path> program = c.host().find("resolvconf");
        if (!Files.isRegularFile(order) || program.isPresent() && Files.isSymbolicLink(program.get())) {
            return c.name();
        }
        try {
            for (String line : Files.readAllLines(order)) {
                Matcher m = PREFIX_LINE.matcher(line.strip());
                if (m.matches()) {
                    return m.group(1) + "." + c.name();
                }
            }
        } catch (IOException e) {
            // unreadable: no prefix, as the shell loop reads nothing
        }
        return c.name();
    }

    /** set_dns; returns whether it set anything (only with at least one server). */
    static boolean set(Context c, StateFile state) throws WgQuickException {
        List<InetAddress> servers = c.spec().dns().servers();
        if (servers.isEmpty()) {
            return false;
        }
        StringBuilder text = new StringBuilder();
        servers.forEach(s -> text.append("nameserver ").append(IpText.format(s)).append('\n'));
        List<String> search = c.spec().dns().searchDomains();
        if (!search.isEmpty()) {
            text.append("search ").append(String.join(" ", search)).append('\n');
        }
        String name = entryName(c);
        state.record(StateFile.DNS + name);
        c.run(List.of("resolvconf", "-a", name, "-m", "0", "-x"), text.toString());
        return true;
    }

    /** unset_dns. */
    static void unset(Context c) throws WgQuickException {
        if (!c.spec().dns().servers().isEmpty()) {
            remove(c, entryName(c));
        }
    }

    static void remove(Context c, String name) throws WgQuickException {
        c.run(List.of("resolvconf", "-d", name, "-f"), null);
    }

    /** Whether resolvconf has an entry {@code name}, looked for as wg-quick's save_config does. */
    static boolean exists(Context c, String name) throws WgQuickException {
        String listed = c.processes().output(List.of("resolvconf", "-l", name));
        return listed != null && !listed.isBlank()
                || Files.exists(c.host().resolvconfDirectory().resolve("run/interface").resolve(name));
    }
}
