package jwg.config;

import jwg.net.IpPrefix;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The [Peer] sections in file order, and their merge into peers the way the kernel applies what wg
 * sends (one peer message per section):
 * <ul>
 * <li>sections with the same PublicKey update one peer, which keeps the place of the first; later
 *     PresharedKey, Endpoint and PersistentKeepalive values win;</li>
 * <li>a section replaces the peer's allowed IPs, unless one of its AllowedIPs entries starts with
 *     '+' or '-' (incremental: '+' adds, '-' removes the prefix if this peer has it);</li>
 * <li>an allowed IP belongs to one peer at a time: adding it to a peer takes it from another.</li>
 * </ul>
 */
final class PeerSections {
    /** One [Peer] section; null fields were not given in it. */
    static final class Section {
        final int line;
        Key publicKey;
        Key presharedKey;
        Endpoint endpoint;
        Integer persistentKeepalive;
        boolean replaceAllowedIps = true;
        final List<AllowedIp> allowedIps = new ArrayList<>();

        Section(int line) {
            this.line = line;
        }

        /**
         * One AllowedIPs entry (wg's parse_allowedips, whitespace already removed): an optional '+'
         * or '-', then an IP prefix. Returns the masked prefix; the entry's host bits are dropped.
         */
        IpPrefix allowedIp(String entry) {
            boolean remove = entry.startsWith("-");
            if (remove || entry.startsWith("+")) replaceAllowedIps = false;
            IpPrefix prefix = PrefixSyntax.parse(remove || entry.startsWith("+") ? entry.substring(1) : entry);
            allowedIps.add(new AllowedIp(prefix.masked(), remove));
            return prefix;
        }
    }

    record AllowedIp(IpPrefix prefix, boolean remove) {}

    private final List<Section> sections = new ArrayList<>();

    Section start(int line) {
        Section section = new Section(line);
        sections.add(section);
        return section;
    }

    /**
     * The merged peers; a section without PublicKey is an error (wg: "A peer is missing a public key").
     * Linear in the sections and prefixes: each prefix has one owner, each owner its prefixes in
     * the order they were (last) given.
     */
    List<PeerConfig> build(String file) throws ConfigException {
        Map<Key, Section> merged = new LinkedHashMap<>();
        Map<IpPrefix, Key> owners = new HashMap<>();
        Map<Key, Set<IpPrefix>> owned = new HashMap<>();
        for (Section s : sections) {
            if (s.publicKey == null) throw ConfigException.at(file, s.line, "[Peer]", "missing PublicKey");
            Section peer = merged.computeIfAbsent(s.publicKey, k -> new Section(s.line));
            if (s.presharedKey != null) peer.presharedKey = s.presharedKey;
            if (s.endpoint != null) peer.endpoint = s.endpoint;
            if (s.persistentKeepalive != null) peer.persistentKeepalive = s.persistentKeepalive;
            Set<IpPrefix> mine = owned.computeIfAbsent(s.publicKey, k -> new LinkedHashSet<>());
            if (s.replaceAllowedIps) {
                mine.forEach(owners::remove);
                mine.clear();
            }
            for (AllowedIp a : s.allowedIps) {
                if (a.remove()) {
                    if (owners.remove(a.prefix(), s.publicKey)) mine.remove(a.prefix());
                } else {
                    Key previous = owners.put(a.prefix(), s.publicKey);
                    if (previous != null && !previous.equals(s.publicKey)) owned.get(previous).remove(a.prefix());
                    mine.remove(a.prefix()); // given again: it moves to the end
                    mine.add(a.prefix());
                }
            }
        }
        List<PeerConfig> peers = new ArrayList<>(merged.size());
        merged.forEach((key, p) -> peers.add(new PeerConfig(key,
                Optional.ofNullable(p.presharedKey).filter(psk -> !psk.isZero()),
                Optional.ofNullable(p.endpoint),
                List.copyOf(owned.get(key)),
                p.persistentKeepalive == null ? 0 : p.persistentKeepalive)));
        return peers;
    }
}
