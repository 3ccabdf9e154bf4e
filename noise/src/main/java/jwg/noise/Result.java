package jwg.noise;

import java.util.Objects;

/**
 * The outcome of parsing or of a handshake step: a value, or the reason to drop.
 * <pre>{@code
 * switch (result) {
 *     case Result.Ok<Initiation>(var msg) -> ...;
 *     case Result.Dropped<Initiation>(var reason) -> ...;
 * }
 * }</pre>
 */
public sealed interface Result<T> {
    record Ok<T>(T value) implements Result<T> {
        public Ok {
            Objects.requireNonNull(value);
        }
    }

    record Dropped<T>(DropReason reason) implements Result<T> {
        public Dropped {
            Objects.requireNonNull(reason);
        }
    }

    static <T> Result<T> ok(T value) { return new Ok<>(value); }

    static <T> Result<T> drop(DropReason reason) { return new Dropped<>(reason); }

    default boolean isOk() { return this instanceof Ok; }

    /** The value; IllegalStateException if dropped (for callers that checked isOk, and tests). */
    default T value() {
        return switch (this) {
            case Ok<T>(T v) -> v;
            case Dropped<T>(DropReason r) -> throw new IllegalStateException("dropped: " + r);
        };
    }

    /** The drop reason, or null if ok. */
    default DropReason dropReason() {
        return this instanceof Dropped<T>(DropReason r) ? r : null;
    }
}
