package jwg.routing;

import java.util.ArrayList;
import java.util.List;

/** Just enough JSON for {@code ip -j} output: the items of an array, the raw value of a key. */
final class Json {
    private Json() {}

    /** The top-level items of a JSON array, as text. */
    static List<String> items(String array) {
        List<String> items = new ArrayList<>();
        int depth = 0;
        int start = -1;
        boolean inString = false;
        for (int i = 0; i < array.length(); i++) {
            char ch = array.charAt(i);
            if (inString) {
                if (ch == '\\') {
                    i++;
                } else if (ch == '"') {
                    inString = false;
                }
                continue;
            }
            switch (ch) {
                case '"' -> inString = true;
                case '[', '{' -> {
                    if (++depth == 1) {
                        start = i + 1;
                    }
                }
                case ']', '}' -> {
                    if (--depth == 0) {
                        add(items, array.substring(start, i));
                    }
                }
                case ',' -> {
                    if (depth == 1) {
                        add(items, array.substring(start, i));
                        start = i + 1;
                    }
                }
                default -> { }
            }
        }
        return items;
    }

    private static void add(List<String> items, String item) {
        if (!item.isBlank()) {
            items.add(item.strip());
        }
    }

    /** The raw text of the value of {@code key} in a JSON object (top level), or null. */
    static String field(String object, String key) {
        String marker = "\"" + key + "\":";
        int depth = 0;
        boolean inString = false;
        for (int i = 0; i < object.length(); i++) {
            char ch = object.charAt(i);
            if (inString) {
                if (ch == '\\') {
                    i++;
                } else if (ch == '"') {
                    inString = false;
                }
                continue;
            }
            if (ch == '"' && depth == 1 && object.startsWith(marker, i)) {
                return value(object, i + marker.length());
            }
            switch (ch) {
                case '"' -> inString = true;
                case '[', '{' -> depth++;
                case ']', '}' -> depth--;
                default -> { }
            }
        }
        return null;
    }

    private static String value(String text, int from) {
        int depth = 0;
        boolean inString = false;
        for (int i = from; i < text.length(); i++) {
            char ch = text.charAt(i);
            if (inString) {
                if (ch == '\\') {
                    i++;
                } else if (ch == '"') {
                    inString = false;
                }
                continue;
            }
            switch (ch) {
                case '"' -> inString = true;
                case '[', '{' -> depth++;
                case ']', '}' -> {
                    if (depth == 0) {
                        return text.substring(from, i).strip();
                    }
                    depth--;
                }
                case ',' -> {
                    if (depth == 0) {
                        return text.substring(from, i).strip();
                    }
                }
                default -> { }
            }
        }
        return text.substring(from).strip();
    }
}
