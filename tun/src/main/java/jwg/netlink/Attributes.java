package jwg.netlink;

import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;
import static jwg.netlink.NetlinkConstants.NLA_TYPE_MASK;
import static jwg.netlink.NetlinkConstants.RTA_ALIGNTO;
import static jwg.netlink.NetlinkConstants.RTA_HDRLEN;

/**
 * The rtattr/nlattr attributes of one message, indexed by type (like the kernel's nla_parse: a
 * repeated type keeps its last value). A view over the receive buffer: use it only while the
 * message it came from is being handled.
 */
public final class Attributes {
    private final MemorySegment values;
    private final int[] offsets; // by type: offset of the value in 'values', -1 if absent
    private final int[] lengths;

    private Attributes(MemorySegment values, int[] offsets, int[] lengths) {
        this.values = values;
        this.offsets = offsets;
        this.lengths = lengths;
    }

    /** Parses the attributes filling {@code region}; a truncated trailing attribute is ignored. */
    public static Attributes parse(MemorySegment region) {
        int maxType = -1;
        for (int o = 0; o + RTA_HDRLEN <= region.byteSize(); ) {
            int len = region.get(JAVA_SHORT, o) & 0xffff;
            if (len < RTA_HDRLEN || o + len > region.byteSize()) {
                break;
            }
            maxType = Math.max(maxType, region.get(JAVA_SHORT, o + 2) & NLA_TYPE_MASK);
            o += NetlinkRequest.align(len, RTA_ALIGNTO);
        }
        int[] offsets = new int[maxType + 1];
        int[] lengths = new int[maxType + 1];
        Arrays.fill(offsets, -1);
        for (int o = 0; o + RTA_HDRLEN <= region.byteSize(); ) {
            int len = region.get(JAVA_SHORT, o) & 0xffff;
            if (len < RTA_HDRLEN || o + len > region.byteSize()) {
                break;
            }
            int type = region.get(JAVA_SHORT, o + 2) & NLA_TYPE_MASK;
            offsets[type] = o + RTA_HDRLEN;
            lengths[type] = len - RTA_HDRLEN;
            o += NetlinkRequest.align(len, RTA_ALIGNTO);
        }
        return new Attributes(region, offsets, lengths);
    }

    public boolean has(int type) {
        return type >= 0 && type < offsets.length && offsets[type] >= 0;
    }

    /** The value of attribute {@code type}, or null if absent. */
    public MemorySegment get(int type) {
        return has(type) ? values.asSlice(offsets[type], lengths[type]) : null;
    }

    /** A u32 attribute (host byte order), or {@code absent}. */
    public int u32(int type, int absent) {
        return has(type) && lengths[type] >= 4 ? values.get(JAVA_INT, offsets[type]) : absent;
    }

    /** A string attribute without its NUL terminator, or null if absent. */
    public String string(int type) {
        if (!has(type)) {
            return null;
        }
        int len = lengths[type];
        while (len > 0 && values.get(JAVA_BYTE, offsets[type] + len - 1) == 0) {
            len--;
        }
        return new String(values.asSlice(offsets[type], len).toArray(JAVA_BYTE), StandardCharsets.UTF_8);
    }

    /** A copy of the attribute's bytes, or null if absent. */
    public byte[] bytes(int type) {
        return has(type) ? values.asSlice(offsets[type], lengths[type]).toArray(JAVA_BYTE) : null;
    }
}
