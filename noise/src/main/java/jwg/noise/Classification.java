package jwg.noise;

/**
 * What {@link Messages#classify} says about a datagram: a well-formed {@link MessageType}, or the
 * {@link DropReason} it must be dropped for. Both are enums, so classifying allocates nothing:
 * <pre>{@code
 * switch (Messages.classify(buf)) {
 *     case MessageType.TRANSPORT -> ...;
 *     case MessageType t -> ...;      // a handshake message
 *     case DropReason r -> ...;       // count and drop
 * }
 * }</pre>
 */
public sealed interface Classification permits MessageType, DropReason {}
