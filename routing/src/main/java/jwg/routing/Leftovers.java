package jwg.routing;

import java.util.ArrayList;
import java.util.List;

/**
 * Crash recovery (jwg's own; wg-quick's interface outlives wg-quick, jwg's dies with it): when a
 * previous run of the interface in this network namespace left its {@link StateFile}, removes
 * what that run set up beyond the interface, as del_if, unset_dns and remove_firewall would have,
 * and says what it removed.
 */
final class Leftovers {
    private Leftovers() {}

    static void remove(Context c, StateFile state) throws WgQuickException {
        if (!state.exists()) {
            return;
        }
        List<String> entries = state.entries();
        c.log().warning("A previous run of " + c.name() + " in this network namespace did not finish"
                + " (" + state.path() + "); removing what it left behind");
        List<String> removed = new ArrayList<>();
        for (String name : values(entries, StateFile.DNS)) {
            if (ResolvConf.exists(c, name)) {
                ResolvConf.remove(c, name);
                removed.add("resolvconf entry " + name);
            }
        }
        removed.addAll(Firewall.remove(c));
        for (String table : values(entries, StateFile.TABLE)) {
            removed.addAll(PolicyRules.remove(c, Long.parseLong(table)));
        }
        c.log().warning(removed.isEmpty() ? "Nothing was left behind"
                : "Removed what the previous run left behind: " + String.join("; ", removed));
        state.delete();
    }

    private static List<String> values(List<String> entries, String kind) {
        return entries.stream().filter(e -> e.startsWith(kind)).map(e -> e.substring(kind.length())).distinct().toList();
    }
}
