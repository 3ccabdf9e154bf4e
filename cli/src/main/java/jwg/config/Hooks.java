package jwg.config;

import java.util.List;

/**
 * wg-quick's PreUp, PostUp, PreDown and PostDown commands, each kept verbatim and in file order.
 * wg-quick runs each with bash after replacing every "%i" with the interface name, and stops (and
 * undoes the up) when one fails.
 */
public record Hooks(List<String> preUp, List<String> postUp, List<String> preDown, List<String> postDown) {
    public static final Hooks NONE = new Hooks(List.of(), List.of(), List.of(), List.of());

    public Hooks {
        preUp = List.copyOf(preUp);
        postUp = List.copyOf(postUp);
        preDown = List.copyOf(preDown);
        postDown = List.copyOf(postDown);
    }

    /** These hooks with "%i" replaced by the interface name, ready to run. */
    public Hooks expanded(String interfaceName) {
        return new Hooks(expand(preUp, interfaceName), expand(postUp, interfaceName),
                expand(preDown, interfaceName), expand(postDown, interfaceName));
    }

    private static List<String> expand(List<String> commands, String interfaceName) {
        return commands.stream().map(c -> c.replace("%i", interfaceName)).toList();
    }
}
