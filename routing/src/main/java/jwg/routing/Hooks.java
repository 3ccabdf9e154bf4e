package jwg.routing;

import java.util.List;

/** wg-quick's PreUp, PostUp, PreDown and PostDown commands, as written ("%i" not yet expanded). */
public record Hooks(List<String> preUp, List<String> postUp, List<String> preDown, List<String> postDown) {
    public static final Hooks NONE = new Hooks(List.of(), List.of(), List.of(), List.of());

    public Hooks {
        preUp = List.copyOf(preUp);
        postUp = List.copyOf(postUp);
        preDown = List.copyOf(preDown);
        postDown = List.copyOf(postDown);
    }
}
