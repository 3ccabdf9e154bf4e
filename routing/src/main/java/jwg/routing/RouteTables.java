package jwg.routing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static jwg.netlink.NetlinkConstants.RT_TABLE_DEFAULT;
import static jwg.netlink.NetlinkConstants.RT_TABLE_LOCAL;
import static jwg.netlink.NetlinkConstants.RT_TABLE_MAIN;

/** Table ids as ip reads "table X": a number, or a name from rt_tables (iproute2's rtnl_rttable_a2n). */
final class RouteTables {
    private RouteTables() {}

    /**
     * The id of {@code table} (Id or Name). 0 ("unspec" in rt_tables) is taken, as ip takes it: it
     * sends RT_TABLE_UNSPEC, which the kernel's fib_new_table and fib6_new_table make the main table.
     * @throws WgQuickException as ip, for an unknown name
     */
    static long id(Host host, Table table) throws WgQuickException {
        String text = text(table);
        long id = switch (table) {
            case Table.Id t -> t.id();
            case Table.Name n -> names(host).getOrDefault(n.name(), parse(n.name()));
            default -> throw new IllegalArgumentException("no table id for " + table);
        };
        if (id < 0) {
            throw new WgQuickException("Error: argument \"" + text + "\" is wrong: \"table\" value is invalid");
        }
        return id;
    }

    /** The table as the configuration gives it, for printed commands. */
    static String text(Table table) {
        return switch (table) {
            case Table.Id t -> Long.toString(t.id());
            case Table.Name n -> n.name();
            case Table.Auto a -> "auto";
            case Table.Off o -> "off";
        };
    }

    /** strtoul with base 0 (decimal, 0x hex, 0 octal) as iproute2's get_u32; -1 if not a number. */
    private static long parse(String text) {
        try {
            long value = text.startsWith("0x") || text.startsWith("0X") ? Long.parseLong(text.substring(2), 16)
                    : text.length() > 1 && text.startsWith("0") ? Long.parseLong(text.substring(1), 8)
                    : Long.parseLong(text);
            return value >= 0 && value <= 0xffff_ffffL ? value : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** rt_tables (the first directory that has one) and every rt_tables.d/*.conf, over the built-in names. */
    private static Map<String, Long> names(Host host) {
        Map<String, Long> names = new HashMap<>(Map.of("default", (long) RT_TABLE_DEFAULT,
                "main", (long) RT_TABLE_MAIN, "local", (long) RT_TABLE_LOCAL));
        List<Path> files = new ArrayList<>();
        host.iproute2Directories().stream().map(d -> d.resolve("rt_tables")).filter(Files::isRegularFile)
                .findFirst().ifPresent(files::add);
        for (Path directory : host.iproute2Directories()) {
            try (Stream<Path> conf = Files.list(directory.resolve("rt_tables.d"))) {
                conf.filter(p -> p.getFileName().toString().endsWith(".conf")).sorted().forEach(files::add);
            } catch (IOException e) {
                // no such directory
            }
        }
        for (Path file : files) {
            try {
                for (String line : Files.readAllLines(file)) {
                    String[] fields = line.strip().split("\\s+");
                    if (fields.length >= 2 && !fields[0].startsWith("#") && parse(fields[0]) >= 0) {
                        names.put(fields[1], parse(fields[0]));
                    }
                }
            } catch (IOException e) {
                // unreadable: ip skips it too
            }
        }
        return names;
    }
}
