package ossidecar.amqp.recovery;

import java.util.Locale;
import java.util.Map;
import ossidecar.amqp.codec.Method;
import ossidecar.amqp.codec.MethodType;

/**
 * What a client's queue.declare says about the queue's fate when its node dies: the proxy can
 * re-declare a lost queue on a surviving node, but not bring back the messages that lived only
 * on the dead one. Quorum queues and streams are replicated by their type; a classic queue
 * lives on one node unless a server-side mirroring policy (RabbitMQ 3.x) applies, which the
 * declare does not show, so the proxy counts it as not surviving.
 *
 * @param queue the name the client declared; empty for a server-named queue
 */
public record QueueDeclaration(String queue, Type type, boolean durable, boolean exclusive, boolean autoDelete) {

    /** The queue types of the x-queue-type argument, as RabbitMQ names them. */
    public enum Type {
        QUORUM, STREAM, CLASSIC;

        /** The name used in metric tags, logs and {@code /status}. */
        public String tag() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The declare argument naming the queue type; absent means the broker's default. */
    static final String QUEUE_TYPE = "x-queue-type";

    /** A client's (non-passive) queue.declare. */
    public static QueueDeclaration of(Method declare) {
        if (declare.type() != MethodType.QUEUE_DECLARE) {
            throw new IllegalArgumentException("not a queue.declare: " + declare.type());
        }
        return classify(declare.str("queue"), declare.bit("durable"), declare.bit("exclusive"),
                declare.bit("auto-delete"), declare.table("arguments"));
    }

    /**
     * The pure rule. An absent or unknown x-queue-type counts as classic: RabbitMQ declares a
     * classic queue then, unless the vhost's default queue type says otherwise, which the
     * declare does not show either.
     */
    public static QueueDeclaration classify(String queue, boolean durable, boolean exclusive, boolean autoDelete,
                                            Map<String, Object> arguments) {
        Object declared = arguments == null ? null : arguments.get(QUEUE_TYPE);
        // a table string may arrive as a long string (S) or a short string (s): compare the text
        String name = declared == null ? "" : declared.toString().trim().toLowerCase(Locale.ROOT);
        Type type = switch (name) {
            case "quorum" -> Type.QUORUM;
            case "stream" -> Type.STREAM;
            default -> Type.CLASSIC;
        };
        return new QueueDeclaration(queue, type, durable, exclusive, autoDelete);
    }

    /** Whether the queue and its messages outlive the loss of the node it lives on. */
    public boolean survivesNodeLoss() {
        return type != Type.CLASSIC;
    }

    /**
     * Whether the operator should hear about this queue: it would not survive its node and a
     * setting could change that. Exclusive queues are left out: they die with their connection
     * anyway (the proxy re-declares them after a failover), and RabbitMQ does not allow them
     * to be quorum queues.
     */
    public boolean worthANotice() {
        return !survivesNodeLoss() && !exclusive;
    }

    /** The type as the operator should read it. */
    public String describeType() {
        return type == Type.CLASSIC ? "classic (replicated only if a mirroring policy applies)" : type.tag();
    }
}
