package jwg.netlink;

import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static jwg.netlink.NetlinkConstants.FIB_RULE_HDR_SIZE;
import static jwg.netlink.NetlinkConstants.FIB_RULE_INVERT;
import static jwg.netlink.NetlinkConstants.FRA_FWMARK;
import static jwg.netlink.NetlinkConstants.FRA_FWMASK;
import static jwg.netlink.NetlinkConstants.FRA_IIFNAME;
import static jwg.netlink.NetlinkConstants.FRA_OIFNAME;
import static jwg.netlink.NetlinkConstants.FRA_PRIORITY;
import static jwg.netlink.NetlinkConstants.FRA_SUPPRESS_PREFIXLEN;
import static jwg.netlink.NetlinkConstants.FRA_TABLE;
import static jwg.netlink.NetlinkConstants.FR_ACT_TO_TBL;
import static jwg.netlink.NetlinkConstants.FR_ACT_UNSPEC;

/**
 * A policy routing rule (fib_rule_hdr and FRA_* attributes), as {@code ip rule} sends and shows
 * it. Null means "not given": in a request the attribute is left out (the kernel then picks a
 * priority, or matches any value when deleting).
 * <p>
 * Requests carry family, table, action, flags, priority, fwmark, fwmask and
 * suppress_prefixlength; the other selectors (source and destination prefix lengths, tos, iif,
 * oif) are reported by {@link Rtnetlink#rules} only.
 *
 * @param action FR_ACT_* (FR_ACT_TO_TBL: lookup the table)
 * @param flags FIB_RULE_* (FIB_RULE_INVERT: "not")
 */
public record FibRule(int family, long table, int action, int flags, Integer priority, Integer fwmark, Integer fwmask,
        Integer suppressPrefixLength, int sourceLength, int destinationLength, int tos, String iifName, String oifName) {

    /** {@code ip rule add table TABLE}: look up {@code table} for every packet. */
    public static FibRule lookup(int family, long table) {
        return new FibRule(family, table, FR_ACT_TO_TBL, 0, null, null, null, null, 0, 0, 0, null, null);
    }

    /** What {@code ip rule delete table TABLE} sends: any rule of {@code table} (action unspecified). */
    public static FibRule ofTable(int family, long table) {
        return new FibRule(family, table, FR_ACT_UNSPEC, 0, null, null, null, null, 0, 0, 0, null, null);
    }

    /** This rule with "not" (FIB_RULE_INVERT): it applies to packets its selectors do not match. */
    public FibRule inverted() {
        return new FibRule(family, table, action, flags | FIB_RULE_INVERT, priority, fwmark, fwmask,
                suppressPrefixLength, sourceLength, destinationLength, tos, iifName, oifName);
    }

    /** This rule with "fwmark MARK" (the kernel sets the mask to 0xffffffff). */
    public FibRule withFwmark(int mark) {
        return new FibRule(family, table, action, flags, priority, mark, fwmask,
                suppressPrefixLength, sourceLength, destinationLength, tos, iifName, oifName);
    }

    /** This rule with "suppress_prefixlength LENGTH": routes this specific or less are ignored. */
    public FibRule withSuppressPrefixLength(int length) {
        return new FibRule(family, table, action, flags, priority, fwmark, fwmask,
                length, sourceLength, destinationLength, tos, iifName, oifName);
    }

    public boolean isInverted() {
        return (flags & FIB_RULE_INVERT) != 0;
    }

    /** Whether the rule selects by anything but fwmark: "from PREFIX", "to PREFIX", tos, iif, oif. */
    public boolean hasOtherSelectors() {
        return sourceLength != 0 || destinationLength != 0 || tos != 0 || iifName != null || oifName != null;
    }

    static FibRule of(NetlinkMessage message) {
        MemorySegment header = message.payload();
        Attributes attributes = message.attributes(FIB_RULE_HDR_SIZE);
        return new FibRule(header.get(JAVA_BYTE, 0),
                Integer.toUnsignedLong(attributes.u32(FRA_TABLE, header.get(JAVA_BYTE, 4) & 0xff)),
                header.get(JAVA_BYTE, 7) & 0xff, header.get(JAVA_INT, 8),
                optional(attributes, FRA_PRIORITY), optional(attributes, FRA_FWMARK), optional(attributes, FRA_FWMASK),
                suppressPrefixLength(attributes),
                header.get(JAVA_BYTE, 2) & 0xff, header.get(JAVA_BYTE, 1) & 0xff, header.get(JAVA_BYTE, 3) & 0xff,
                attributes.string(FRA_IIFNAME), attributes.string(FRA_OIFNAME));
    }

    /** The kernel reports -1 for "not set". */
    private static Integer suppressPrefixLength(Attributes attributes) {
        Integer length = optional(attributes, FRA_SUPPRESS_PREFIXLEN);
        return length == null || length == -1 ? null : length;
    }

    private static Integer optional(Attributes attributes, int type) {
        return attributes.has(type) ? attributes.u32(type, 0) : null;
    }
}
