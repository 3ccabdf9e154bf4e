package jwg.routing;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

import jwg.netlink.FibRule;
import jwg.sys.ErrnoException;

import static jwg.netlink.NetlinkConstants.RT_TABLE_MAIN;

/** The rule removal of wg-quick's del_if, for the fwmark table of a default route. */
final class PolicyRules {
    private PolicyRules() {}

    /**
     * As del_if, for IPv4 then IPv6: {@code ip rule delete table T} while a rule looks up table
     * {@code table}, then {@code ip rule delete table main suppress_prefixlength 0} while there is
     * a plain "from all lookup main suppress_prefixlength 0". Returns the rules removed, as ip
     * shows them.
     */
    static List<String> remove(Context c, long table) throws WgQuickException {
        List<String> removed = new ArrayList<>();
        for (Family family : Family.values()) {
            deleteWhile(c, family, r -> r.table() == table, "table " + table, FibRule.ofTable(family.af, table), removed);
            deleteWhile(c, family, PolicyRules::isMainSuppressingDefault, "table main suppress_prefixlength 0",
                    FibRule.ofTable(family.af, RT_TABLE_MAIN).withSuppressPrefixLength(0), removed);
        }
        return removed;
    }

    private static void deleteWhile(Context c, Family family, Predicate<FibRule> present, String selector,
            FibRule delete, List<String> removed) throws WgQuickException {
        for (FibRule rule = find(c, family, present); rule != null; rule = find(c, family, present)) {
            c.ip("ip " + family.proto + " rule delete " + selector, () -> c.rtnl().deleteRule(delete));
            removed.add("ip " + family.proto + " rule " + describe(rule));
        }
    }

    /** "from all lookup main suppress_prefixlength 0", without other selectors. */
    private static boolean isMainSuppressingDefault(FibRule rule) {
        return rule.table() == RT_TABLE_MAIN && rule.suppressPrefixLength() != null && rule.suppressPrefixLength() == 0
                && rule.fwmark() == null && !rule.hasOtherSelectors();
    }

    private static FibRule find(Context c, Family family, Predicate<FibRule> present) {
        try {
            return c.rtnl().rules(family.af).stream().filter(present).findFirst().orElse(null);
        } catch (ErrnoException e) {
            return null; // ip rule show 2>/dev/null: nothing shown
        }
    }

    /** The rule as {@code ip rule show} prints it (for what wg-quick adds). */
    static String describe(FibRule rule) {
        return (rule.priority() == null ? "" : rule.priority() + ": ") + (rule.isInverted() ? "not " : "") + "from all"
                + (rule.fwmark() == null ? "" : " fwmark 0x" + Integer.toHexString(rule.fwmark()))
                + " lookup " + (rule.table() == RT_TABLE_MAIN ? "main" : Long.toString(rule.table()))
                + (rule.suppressPrefixLength() == null ? "" : " suppress_prefixlength " + rule.suppressPrefixLength());
    }
}
