package jwg.routing;

/** wg-quick's Table: where the routes for AllowedIPs go. */
public sealed interface Table {
    /** "off": no routes. */
    record Off() implements Table {
        @Override public String toString() { return "off"; }
    }

    /** "auto" or unset: the main table, and a default route through fwmark policy routing. */
    record Auto() implements Table {
        @Override public String toString() { return "auto"; }
    }

    /** A table id: every route goes there, default routes too, without rules (0: the kernel's main table). */
    record Id(long id) implements Table {
        public Id {
            if (id < 0 || id > 0xffff_ffffL) {
                throw new IllegalArgumentException("table id out of range: " + id);
            }
        }

        @Override public String toString() { return Long.toString(id); }
    }

    /** A table name from iproute2's rt_tables ("main", or one of the administrator's). */
    record Name(String name) implements Table {
        public Name {
            if (name.isEmpty() || name.chars().anyMatch(c -> c == ' ' || (c >= '\t' && c <= '\r'))) { // bash's [[:space:]]
                throw new IllegalArgumentException("not a table name: " + name);
            }
        }

        @Override public String toString() { return name; }
    }
}
