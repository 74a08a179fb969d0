package ossidecar.amqp.recovery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import ossidecar.amqp.codec.Method;
import ossidecar.amqp.codec.MethodType;
import ossidecar.amqp.recovery.TopologyRecorder.Step;

class TopologyRecorderTest {
    private final TopologyRecorder r = new TopologyRecorder();

    private void request(int ch, Method m, Method ok) {
        r.fromClient(ch, m);
        if (ok != null) {
            r.fromBroker(ch, ok);
        }
    }

    /** The plan flattened in replay order; "*" marks channel-independent topology. */
    private List<String> plan() {
        TopologyRecorder.Plan p = r.replayPlan();
        List<String> out = new ArrayList<>();
        p.topology().forEach(e -> out.add("*:" + e.method().type().specName()));
        p.channels().forEach(n -> out.add(n + ":channel.open"));
        p.settings().forEach(s -> out.add(s.channel() + ":" + s.method().type().specName()));
        p.consumers().forEach(s -> out.add(s.channel() + ":" + s.method().type().specName()));
        return out;
    }

    @Test
    void replaysInDependencyOrderWhateverTheOrderOfDeclaration() {
        r.fromClient(1, Method.of(MethodType.CHANNEL_OPEN));
        request(1, Method.of(MethodType.BASIC_QOS, "prefetch-count", 10), Method.of(MethodType.BASIC_QOS_OK));
        request(1, Method.of(MethodType.QUEUE_DECLARE, "queue", "q1", "durable", true),
                Method.of(MethodType.QUEUE_DECLARE_OK, "queue", "q1"));
        request(1, Method.of(MethodType.EXCHANGE_DECLARE, "exchange", "x", "type", "direct"),
                Method.of(MethodType.EXCHANGE_DECLARE_OK));
        request(1, Method.of(MethodType.QUEUE_BIND, "queue", "q1", "exchange", "x", "routing-key", "k"),
                Method.of(MethodType.QUEUE_BIND_OK));
        request(1, Method.of(MethodType.CONFIRM_SELECT), Method.of(MethodType.CONFIRM_SELECT_OK));
        request(1, Method.of(MethodType.BASIC_CONSUME, "queue", "q1", "consumer-tag", "c1"),
                Method.of(MethodType.BASIC_CONSUME_OK, "consumer-tag", "c1"));
        assertEquals(List.of("*:exchange.declare", "*:queue.declare", "*:queue.bind", "1:channel.open",
                "1:basic.qos", "1:confirm.select", "1:basic.consume"), plan());
    }

    @Test
    void passiveDeclaresAndRefusedDeclaresAreNotRecorded() {
        r.fromClient(1, Method.of(MethodType.CHANNEL_OPEN));
        request(1, Method.of(MethodType.QUEUE_DECLARE, "queue", "exists", "passive", true),
                Method.of(MethodType.QUEUE_DECLARE_OK, "queue", "exists"));
        r.fromClient(1, Method.of(MethodType.QUEUE_DECLARE, "queue", "refused"));
        r.fromBroker(1, Method.of(MethodType.CHANNEL_CLOSE, "reply-code", 406));
        assertTrue(r.queues().isEmpty());
        assertEquals(List.of(), plan(), "the closed channel is gone too");
    }

    @Test
    void serverNamedQueuesAreRecordedUnderTheirNameAndReplayedUnnamed() {
        r.fromClient(2, Method.of(MethodType.CHANNEL_OPEN));
        request(2, Method.of(MethodType.QUEUE_DECLARE, "queue", "", "exclusive", true),
                Method.of(MethodType.QUEUE_DECLARE_OK, "queue", "amq.gen-abc"));
        TopologyRecorder.RecordedQueue q = r.queues().get("amq.gen-abc");
        assertTrue(q.serverNamed());
        TopologyRecorder.Entity replay = r.replayPlan().topology().get(0);
        assertEquals("amq.gen-abc", replay.serverNamedQueue());
        assertEquals("", replay.method().str("queue"), "the new broker picks a new name; the proxy maps it");
    }

    @Test
    void nowaitDeclaresAreRecordedAtOnceAndReplayedWaiting() {
        r.fromClient(1, Method.of(MethodType.CHANNEL_OPEN));
        r.fromClient(1, Method.of(MethodType.EXCHANGE_DECLARE, "exchange", "x", "type", "fanout", "nowait", true));
        Method x = r.replayPlan().topology().get(0).method();
        assertEquals("x", x.str("exchange"));
        assertFalse(x.bit("nowait"));
    }

    @Test
    void deletesUnbindsAndCancelsRemoveWhatDependsOnThem() {
        r.fromClient(1, Method.of(MethodType.CHANNEL_OPEN));
        request(1, Method.of(MethodType.EXCHANGE_DECLARE, "exchange", "x", "type", "topic"), Method.of(MethodType.EXCHANGE_DECLARE_OK));
        request(1, Method.of(MethodType.QUEUE_DECLARE, "queue", "q"), Method.of(MethodType.QUEUE_DECLARE_OK, "queue", "q"));
        request(1, Method.of(MethodType.QUEUE_BIND, "queue", "q", "exchange", "x", "routing-key", "a"), Method.of(MethodType.QUEUE_BIND_OK));
        request(1, Method.of(MethodType.QUEUE_BIND, "queue", "q", "exchange", "x", "routing-key", "b"), Method.of(MethodType.QUEUE_BIND_OK));
        request(1, Method.of(MethodType.QUEUE_UNBIND, "queue", "q", "exchange", "x", "routing-key", "a"), Method.of(MethodType.QUEUE_UNBIND_OK));
        assertEquals(1, plan().stream().filter(p -> p.endsWith("queue.bind")).count());
        request(1, Method.of(MethodType.EXCHANGE_DELETE, "exchange", "x"), Method.of(MethodType.EXCHANGE_DELETE_OK));
        assertEquals(List.of("*:queue.declare", "1:channel.open"), plan(), "the exchange took its bindings with it");
        request(1, Method.of(MethodType.BASIC_CONSUME, "queue", "q", "consumer-tag", "t"), Method.of(MethodType.BASIC_CONSUME_OK, "consumer-tag", "t"));
        request(1, Method.of(MethodType.QUEUE_DELETE, "queue", "q"), Method.of(MethodType.QUEUE_DELETE_OK));
        assertEquals(0, r.consumerCount(), "deleting the queue cancels its consumers");
    }

    @Test
    void anAutoDeleteQueueGoesWithItsLastConsumerAndServerTagsAreKept() {
        r.fromClient(1, Method.of(MethodType.CHANNEL_OPEN));
        request(1, Method.of(MethodType.QUEUE_DECLARE, "queue", "ad", "auto-delete", true), Method.of(MethodType.QUEUE_DECLARE_OK, "queue", "ad"));
        request(1, Method.of(MethodType.BASIC_CONSUME, "queue", "ad"), Method.of(MethodType.BASIC_CONSUME_OK, "consumer-tag", "amq.ctag-1"));
        List<Step> consumers = r.replayPlan().consumers();
        Step consumer = consumers.get(consumers.size() - 1);
        assertEquals("amq.ctag-1", consumer.method().str("consumer-tag"), "replayed with the tag the client knows");
        request(1, Method.of(MethodType.BASIC_CANCEL, "consumer-tag", "amq.ctag-1"), Method.of(MethodType.BASIC_CANCEL_OK, "consumer-tag", "amq.ctag-1"));
        assertEquals(Map.of(), r.queues());
    }

    @Test
    void aServerSideCancelRemovesTheConsumer() {
        r.fromClient(1, Method.of(MethodType.CHANNEL_OPEN));
        request(1, Method.of(MethodType.QUEUE_DECLARE, "queue", "q"), Method.of(MethodType.QUEUE_DECLARE_OK, "queue", "q"));
        request(1, Method.of(MethodType.BASIC_CONSUME, "queue", "q", "consumer-tag", "t"), Method.of(MethodType.BASIC_CONSUME_OK, "consumer-tag", "t"));
        r.fromBroker(1, Method.of(MethodType.BASIC_CANCEL, "consumer-tag", "t"));
        assertEquals(0, r.consumerCount());
    }

    @Test
    void redeclaringAServerNamedQueueByNameKeepsItServerNamed() {
        r.fromClient(1, Method.of(MethodType.CHANNEL_OPEN));
        request(1, Method.of(MethodType.QUEUE_DECLARE, "queue", "", "exclusive", true),
                Method.of(MethodType.QUEUE_DECLARE_OK, "queue", "amq.gen-x"));
        request(1, Method.of(MethodType.QUEUE_DECLARE, "queue", "amq.gen-x", "exclusive", true),
                Method.of(MethodType.QUEUE_DECLARE_OK, "queue", "amq.gen-x"));
        assertTrue(r.queues().get("amq.gen-x").serverNamed());
        assertEquals("", r.replayPlan().topology().get(0).method().str("queue"), "amq.* names cannot be declared by clients");
    }
}
