package jwg.config;

import jwg.routing.Table;
import jwg.routing.Table.Auto;
import jwg.routing.Table.Id;
import jwg.routing.Table.Name;
import jwg.routing.Table.Off;

/** wg-quick's Table value, read into routing's {@link Table}. */
final class TableSyntax {
    private TableSyntax() {}

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
