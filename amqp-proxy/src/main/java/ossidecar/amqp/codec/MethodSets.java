package ossidecar.amqp.codec;

import static ossidecar.amqp.codec.MethodType.*;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Which methods are synchronous requests and which replies they wait for (the spec's
 * {@code synchronous="1"} and {@code <response>} elements; RabbitMQ's extensions follow the same
 * pattern). A proxy uses this to pair requests with replies, e.g. when it replays a channel.
 */
public final class MethodSets {
    private static final Map<MethodType, List<MethodType>> RESPONSES = new EnumMap<>(MethodType.class);
    private static final Map<MethodType, MethodType> REQUESTS = new EnumMap<>(MethodType.class);

    static {
        pair(CONNECTION_START, CONNECTION_START_OK);
        pair(CONNECTION_SECURE, CONNECTION_SECURE_OK);
        pair(CONNECTION_TUNE, CONNECTION_TUNE_OK);
        pair(CONNECTION_OPEN, CONNECTION_OPEN_OK);
        pair(CONNECTION_CLOSE, CONNECTION_CLOSE_OK);
        pair(CONNECTION_UPDATE_SECRET, CONNECTION_UPDATE_SECRET_OK);
        pair(CHANNEL_OPEN, CHANNEL_OPEN_OK);
        pair(CHANNEL_FLOW, CHANNEL_FLOW_OK);
        pair(CHANNEL_CLOSE, CHANNEL_CLOSE_OK);
        pair(ACCESS_REQUEST, ACCESS_REQUEST_OK);
        pair(EXCHANGE_DECLARE, EXCHANGE_DECLARE_OK);
        pair(EXCHANGE_DELETE, EXCHANGE_DELETE_OK);
        pair(EXCHANGE_BIND, EXCHANGE_BIND_OK);
        pair(EXCHANGE_UNBIND, EXCHANGE_UNBIND_OK);
        pair(QUEUE_DECLARE, QUEUE_DECLARE_OK);
        pair(QUEUE_BIND, QUEUE_BIND_OK);
        pair(QUEUE_PURGE, QUEUE_PURGE_OK);
        pair(QUEUE_DELETE, QUEUE_DELETE_OK);
        pair(QUEUE_UNBIND, QUEUE_UNBIND_OK);
        pair(BASIC_QOS, BASIC_QOS_OK);
        pair(BASIC_CONSUME, BASIC_CONSUME_OK);
        pair(BASIC_CANCEL, BASIC_CANCEL_OK);
        pair(BASIC_GET, BASIC_GET_OK, BASIC_GET_EMPTY);
        pair(BASIC_RECOVER, BASIC_RECOVER_OK);
        pair(TX_SELECT, TX_SELECT_OK);
        pair(TX_COMMIT, TX_COMMIT_OK);
        pair(TX_ROLLBACK, TX_ROLLBACK_OK);
        pair(CONFIRM_SELECT, CONFIRM_SELECT_OK);
    }

    private MethodSets() {
    }

    private static void pair(MethodType request, MethodType... responses) {
        RESPONSES.put(request, List.of(responses));
        for (MethodType r : responses) {
            REQUESTS.put(r, request);
        }
    }

    /** The replies a synchronous request waits for; empty for asynchronous methods. */
    public static List<MethodType> responsesTo(MethodType request) {
        return RESPONSES.getOrDefault(request, List.of());
    }

    /** Whether the spec marks the method synchronous: the peer must reply. */
    public static boolean isSynchronous(MethodType type) {
        return RESPONSES.containsKey(type);
    }

    /** Whether the method is a reply to a synchronous request. */
    public static boolean isResponse(MethodType type) {
        return REQUESTS.containsKey(type);
    }

    /** The request a reply answers, or null. */
    public static MethodType requestOf(MethodType response) {
        return REQUESTS.get(response);
    }

    /** Whether this method waits for a reply: synchronous and not sent with nowait set. */
    public static boolean expectsResponse(Method method) {
        MethodType type = method.type();
        if (!isSynchronous(type)) {
            return false;
        }
        return type.indexOf("nowait") < 0 || !method.bit("nowait");
    }
}
