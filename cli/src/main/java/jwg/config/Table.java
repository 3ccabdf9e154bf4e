package jwg.config;

/** wg-quick's Table: the routing table its routes go to. */
public sealed interface Table {
    /** "off": add no routes at all. */
    record Off() implements Table {
        @Override public String toString() { return "off"; }
    }

    /** "auto" or unset: the main table, plus wg-quick's fwmark policy routing for a default route. */
    record Auto() implements Table {
        @Override public String toString() { return "auto"; }
    }

    /** A numeric table id, 0 to 2^32-1. */
    record Id(long id) implements Table {
        public Id {
            if (id < 0 || id > 0xffff_ffffL) throw new IllegalArgumentException("table id out of range: " + id);
        }
        @Override public String toString() { return Long.toString(id); }
    }

    /** A table name that iproute2 looks up in rt_tables when routes are added ("main", "vpn"). */
    record Name(String name) implements Table {
        public Name {
            if (name.isEmpty() || name.chars().anyMatch(ConfigText::isSpace)) throw new IllegalArgumentException("not a table name: " + name);
        }
        @Override public String toString() { return name; }
    }

    /**
     * The value as wg-quick uses it: empty or "auto" is {@link Auto}, "off" is {@link Off}, a number
     * as iproute2 reads it (strtoul base 0) is an {@link Id}, anything else without spaces a
     * {@link Name}. wg-quick compares "off" and "auto" case-sensitively, so "Off" would be a table
     * name that iproute2 then fails to find; that case is rejected here with a clearer message.
     */
    static Table parse(String value) {
        if (value.isEmpty() || value.equals("auto")) return new Auto();
        if (value.equals("off")) return new Off();
        if (value.equalsIgnoreCase("off") || value.equalsIgnoreCase("auto")) {
            throw new IllegalArgumentException("\"" + value + "\" must be written in lower case (off, auto)");
        }
        char first = value.charAt(0);
        if ((first >= '0' && first <= '9') || first == '+' || first == '-') {
            long id = CNumbers.base0(value, 0xffff_ffffL);
            if (id < 0) throw new IllegalArgumentException("\"" + value + "\" is not a table number (0 to 4294967295)");
            return new Id(id);
        }
        if (value.chars().anyMatch(ConfigText::isSpace)) {
            throw new IllegalArgumentException("\"" + value + "\" is not a routing table (off, auto, a number or a table name)");
        }
        return new Name(value);
    }
}
