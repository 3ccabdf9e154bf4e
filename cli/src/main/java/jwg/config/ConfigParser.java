package jwg.config;

import jwg.routing.Table;
import jwg.net.IpPrefix;
import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Reads a wg-quick configuration file, accepting what `wg-quick up` accepts. Each line goes first
 * through wg-quick's parse_options (which takes its own keys out of an [Interface] section) and
 * the rest through wg's config.c (as `wg addconf`), with their two different ideas of whitespace:
 * <ul>
 * <li>a comment starts at the first '#', wherever it is, except that hook commands keep it;</li>
 * <li>wg-quick trims a key and its value; wg removes every whitespace character from the line
 *     ("Listen Port = 51 820" is ListenPort 51820), so its values never contain spaces;</li>
 * <li>key names are case-insensitive; a key needs a non-empty value (wg's get_value) except
 *     wg-quick's, where an empty MTU or Table means automatic and an empty Address or DNS nothing;</li>
 * <li>wg-quick's keys count only after a header that is exactly [Interface] once trimmed (any case);
 *     wg also takes "[ Interface ]", so there wg-quick's keys reach wg, which refuses them.</li>
 * </ul>
 * Lines end at '\n' (a '\r' before it is whitespace, so CRLF files work). The file is UTF-8.
 */
public final class ConfigParser {
    private static final Pattern LIST_SEPARATOR = Pattern.compile("[, \t]+");
    private static final Pattern SHOWABLE_KEY = Pattern.compile("[A-Za-z][A-Za-z0-9 _-]{0,39}|\\[[A-Za-z0-9 _-]{0,40}]");
    /**
     * A 32-byte key in base64, as it would be pasted under the wrong key (SaveConfig = PRIVATE):
     * errors quote values, and a key must never reach the log.
     */
    private static final Pattern BASE64_KEY = Pattern.compile("[A-Za-z0-9+/]{43}=");

    private enum Section { NONE, INTERFACE, PEER }

    private final String file;
    private final Consumer<String> warnings;
    private final InterfaceBuilder iface = new InterfaceBuilder();
    private final PeerSections peers = new PeerSections();
    private boolean quickInterface;
    private Section section = Section.NONE;
    private PeerSections.Section peer;

    private ConfigParser(String file, Consumer<String> warnings) {
        this.file = file;
        this.warnings = warnings;
    }

    /** Parses a file; the interface name comes from its name (NAME.conf). Warnings are dropped. */
    public static WgQuickConfig parse(Path path) throws ConfigException {
        return parse(path, warning -> {});
    }

    /**
     * Parses a file; warnings (one line each, like wg's "AllowedIP has nonzero host part") go to
     * {@code warnings}. Errors name the path as given.
     */
    public static WgQuickConfig parse(Path path, Consumer<String> warnings) throws ConfigException {
        return parse(path, warnings, maxFileBytes());
    }

    /** As {@link #parse(Path, Consumer)}, refusing a file larger than max bytes. */
    static WgQuickConfig parse(Path path, Consumer<String> warnings, long max) throws ConfigException {
        String name = ConfigLocator.interfaceName(path.toString());
        String text;
        try {
            long size = Files.size(path);
            if (size > max) {
                throw new ConfigException(path + ": " + mebibytes(size) + " MiB, more than the " + mebibytes(max)
                        + " MiB jwg reads with its " + mebibytes(Runtime.getRuntime().maxMemory()) + " MiB heap (java -Xmx)");
            }
            text = Files.readString(path);
        } catch (CharacterCodingException e) {
            throw new ConfigException(path + ": not a UTF-8 text file");
        } catch (IOException e) {
            throw new ConfigException(path + ": cannot read: " + e.getMessage(), e);
        }
        return new ConfigParser(path.toString(), warnings).parseText(text, name, Optional.of(path));
    }

    /**
     * The largest file read: an eighth of the heap's ceiling (32 MiB of the shipped 256), room for
     * well over 100,000 peers, and little enough that reading it cannot exhaust the heap before
     * its peers are counted against what the heap holds.
     */
    static long maxFileBytes() {
        return Math.max(1L << 20, Runtime.getRuntime().maxMemory() / 8);
    }

    private static long mebibytes(long bytes) {
        return (bytes + (1 << 20) - 1) >> 20;
    }

    /** Parses text named {@code fileName} (e.g. "wg0.conf", which also gives the interface name). */
    public static WgQuickConfig parse(String fileName, Reader reader) throws ConfigException {
        return parse(fileName, reader, warning -> {});
    }

    public static WgQuickConfig parse(String fileName, Reader reader, Consumer<String> warnings) throws ConfigException {
        String name = ConfigLocator.interfaceName(fileName);
        StringWriter text = new StringWriter();
        try {
            reader.transferTo(text);
        } catch (IOException e) {
            throw new ConfigException(fileName + ": cannot read: " + e.getMessage(), e);
        }
        return new ConfigParser(fileName, warnings).parseText(text.toString(), name, Optional.empty());
    }

    private WgQuickConfig parseText(String text, String interfaceName, Optional<Path> source) throws ConfigException {
        int number = 1;
        for (int start = 0, end; ; start = end + 1, number++) { // one line at a time, not an array of them all
            end = text.indexOf('\n', start);
            line(number, text.substring(start, end < 0 ? text.length() : end));
            if (end < 0) break;
        }
        return new WgQuickConfig(interfaceName, iface.build(), peers.build(file), source);
    }

    private void line(int number, String line) throws ConfigException {
        int hash = line.indexOf('#');
        String stripped = hash < 0 ? line : line.substring(0, hash);
        int equals = stripped.indexOf('=');
        String key = ConfigText.trim(equals < 0 ? stripped : stripped.substring(0, equals));
        if (key.startsWith("[")) quickInterface = key.equalsIgnoreCase("[Interface]");
        Optional<ConfigKey> quickKey = ConfigKey.find(key).filter(k -> k.owner == ConfigKey.Owner.WG_QUICK);
        try {
            if (quickInterface && quickKey.isPresent()) {
                if (equals < 0) throw new IllegalArgumentException("expected \"" + quickKey.get().canonical + " = value\"");
                // Hook commands are the rest of the raw line, comment included (wg-quick's unstripped_value).
                apply(quickKey.get(), ConfigText.trim(stripped.substring(equals + 1)), ConfigText.trim(line.substring(equals + 1)), number);
            } else {
                wg(number, ConfigText.removeSpaces(stripped));
            }
        } catch (IllegalArgumentException e) {
            throw ConfigException.at(file, number, displayKey(key), BASE64_KEY.matcher(e.getMessage()).replaceAll("(a key)"));
        }
    }

    /** wg-quick splits Address and DNS on commas and on whitespace (bash word splitting). */
    private static List<String> words(String value) {
        return LIST_SEPARATOR.splitAsStream(value).filter(w -> !w.isEmpty()).toList();
    }

    private void wg(int number, String line) {
        if (line.isEmpty()) return;
        if (line.equalsIgnoreCase("[Interface]")) {
            section = Section.INTERFACE;
            return;
        }
        if (line.equalsIgnoreCase("[Peer]")) {
            section = Section.PEER;
            peer = peers.start(number);
            return;
        }
        if (line.startsWith("[")) throw new IllegalArgumentException("unknown section (expected [Interface] or [Peer])");
        int equals = line.indexOf('=');
        if (equals < 0) throw new IllegalArgumentException("expected \"Key = value\"");
        if (section == Section.NONE) throw new IllegalArgumentException("outside of any section (no [Interface] or [Peer] before it)");
        ConfigKey key = ConfigKey.find(line.substring(0, equals)).orElseThrow(
                () -> new IllegalArgumentException("unknown key in [" + (section == Section.PEER ? "Peer" : "Interface") + "]"));
        String value = line.substring(equals + 1);
        switch (key.owner) {
            case WG_QUICK -> throw new IllegalArgumentException(section == Section.PEER ? "not valid in [Peer]"
                    : quickInterface ? "wg-quick does not recognize the key with whitespace inside its name"
                    : "wg-quick reads this key only after a header written exactly [Interface]");
            case WG_INTERFACE -> {
                if (section != Section.INTERFACE) throw new IllegalArgumentException("not valid in [Peer]");
            }
            case WG_PEER -> {
                if (section != Section.PEER) throw new IllegalArgumentException("not valid in [Interface]");
            }
        }
        if (value.isEmpty()) throw new IllegalArgumentException("empty value");
        apply(key, value, value, number);
    }

    /** Sets a key's value: {@code value} as the key's reader cleaned it, {@code rawValue} for hooks. */
    private void apply(ConfigKey key, String value, String rawValue, int number) {
        switch (key) {
            case PRIVATE_KEY -> iface.privateKey = Key.fromBase64(value);
            case LISTEN_PORT -> iface.listenPort = Values.listenPort(value);
            case FW_MARK -> iface.fwMark = Values.fwMark(value);
            case PUBLIC_KEY -> peer.publicKey = Key.fromBase64(value);
            case PRESHARED_KEY -> peer.presharedKey = Key.fromBase64(value);
            case ENDPOINT -> peer.endpoint = Endpoint.parse(value);
            case PERSISTENT_KEEPALIVE -> peer.persistentKeepalive = Values.persistentKeepalive(value);
            case ALLOWED_IPS -> allowedIps(value, number);
            case ADDRESS -> words(value).forEach(a -> iface.address(PrefixSyntax.interfaceAddress(a)));
            case DNS -> words(value).forEach(iface::dns);
            case MTU -> iface.mtu = value.isEmpty() ? OptionalInt.empty() : OptionalInt.of(Values.mtu(value));
            case TABLE -> iface.table = TableSyntax.parse(value);
            case SAVE_CONFIG -> iface.saveConfig = Values.saveConfig(value);
            case PRE_UP -> iface.preUp.add(rawValue);
            case POST_UP -> iface.postUp.add(rawValue);
            case PRE_DOWN -> iface.preDown.add(rawValue);
            case POST_DOWN -> iface.postDown.add(rawValue);
        }
    }

    private void allowedIps(String value, int number) {
        for (String entry : value.split(",", -1)) {
            IpPrefix prefix = peer.allowedIp(entry);
            if (prefix.hasHostBits()) {
                warnings.accept(file + ":" + number + ": AllowedIPs: " + prefix + " has host bits set, it means " + prefix.masked());
            }
        }
    }

    /** The key as the user wrote it (canonical when known), or "line" when it might be key material. */
    private static String displayKey(String key) {
        return ConfigKey.find(ConfigText.removeSpaces(key)).map(k -> k.canonical)
                .orElse(SHOWABLE_KEY.matcher(key).matches() ? key : "line");
    }
}
