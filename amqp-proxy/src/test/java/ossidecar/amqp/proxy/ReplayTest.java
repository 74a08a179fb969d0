package ossidecar.amqp.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;
import ossidecar.amqp.codec.Method;
import ossidecar.amqp.codec.MethodFrame;
import ossidecar.amqp.codec.MethodType;
import ossidecar.amqp.codec.ReplyCode;
import ossidecar.amqp.recovery.ProxiedSession;
import ossidecar.amqp.recovery.TopologyRecorder;

class ReplayTest {
    private final List<String> sent = new ArrayList<>();
    private final List<Runnable> scheduled = new ArrayList<>();
    private final List<Duration> delays = new ArrayList<>();
    private final ProxiedSession session = new ProxiedSession(true, new ProxiedSession.Events() {
    });
    private final ProxiedSession.Sink ignore = new ProxiedSession.Sink() {
        @Override
        public void toUpstream(ossidecar.amqp.codec.Frame frame) {
        }

        @Override
        public void toClient(ossidecar.amqp.codec.Frame frame) {
        }
    };

    private void client(int ch, MethodType type, Object... fields) {
        session.fromClient(new MethodFrame(ch, Method.of(type, fields)), ignore);
    }

    private void broker(int ch, MethodType type, Object... fields) {
        session.fromBroker(new MethodFrame(ch, Method.of(type, fields)), ignore);
    }

    private Replay replay(TopologyRecorder.Plan plan) {
        return new Replay(plan, session, f -> sent.add(f.channel() + ":" + f.method().type().specName()
                + (f.method().type().indexOf("queue") >= 0 ? " " + f.method().str("queue") : "")),
                (task, delay) -> {
                    scheduled.add(task);
                    delays.add(delay);
                });
    }

    private static boolean answer(Replay r, int ch, MethodType type, Object... fields) {
        return r.onMethod(new MethodFrame(ch, Method.of(type, fields)));
    }

    /** A client with a server-named exclusive queue bound to an exchange, and a consumer on it. */
    private TopologyRecorder.Plan recordedClient() {
        client(1, MethodType.CHANNEL_OPEN);
        broker(1, MethodType.CHANNEL_OPEN_OK);
        client(1, MethodType.QUEUE_DECLARE, "queue", "", "exclusive", true);
        broker(1, MethodType.QUEUE_DECLARE_OK, "queue", "amq.gen-old");
        client(1, MethodType.QUEUE_BIND, "queue", "amq.gen-old", "exchange", "x", "routing-key", "k");
        broker(1, MethodType.QUEUE_BIND_OK);
        client(1, MethodType.BASIC_CONSUME, "queue", "amq.gen-old", "consumer-tag", "mine");
        broker(1, MethodType.BASIC_CONSUME_OK, "consumer-tag", "mine");
        return session.upstreamLost();
    }

    @Test
    void replaysTopologyOnItsOwnChannelThenTheClientsChannelsAndMapsTheNewQueueName() throws Exception {
        Replay r = replay(recordedClient());
        r.start();
        assertTrue(answer(r, 2, MethodType.CHANNEL_OPEN_OK), "topology goes on channel 2, free in the plan");
        assertTrue(answer(r, 2, MethodType.QUEUE_DECLARE_OK, "queue", "amq.gen-new"));
        assertTrue(answer(r, 2, MethodType.QUEUE_BIND_OK));
        assertTrue(answer(r, 2, MethodType.CHANNEL_CLOSE_OK));
        assertTrue(answer(r, 1, MethodType.CHANNEL_OPEN_OK));
        assertFalse(answer(r, 1, MethodType.BASIC_DELIVER, "delivery-tag", 1L), "a delivery is not a replay answer");
        assertTrue(answer(r, 1, MethodType.BASIC_CONSUME_OK, "consumer-tag", "mine"));
        assertEquals(List.of("2:channel.open", "2:queue.declare ", "2:queue.bind amq.gen-new", "2:channel.close",
                "1:channel.open", "1:basic.consume amq.gen-new"), sent);
        assertEquals(4, r.done().get(), "one channel, one queue, one binding, one consumer");
    }

    @Test
    void aLockedExclusiveQueueIsRetriedWithBackoffOnAReopenedChannel() throws Exception {
        client(1, MethodType.CHANNEL_OPEN);
        broker(1, MethodType.CHANNEL_OPEN_OK);
        client(1, MethodType.QUEUE_DECLARE, "queue", "mine", "exclusive", true);
        broker(1, MethodType.QUEUE_DECLARE_OK, "queue", "mine");
        Replay r = replay(session.upstreamLost());
        r.start();
        answer(r, 2, MethodType.CHANNEL_OPEN_OK);
        assertTrue(answer(r, 2, MethodType.CHANNEL_CLOSE, "reply-code", ReplyCode.RESOURCE_LOCKED,
                "reply-text", "RESOURCE_LOCKED - cannot obtain exclusive access to locked queue 'mine'"));
        assertFalse(r.done().isDone(), "not a failure: the old connection still holds the queue");
        assertEquals(List.of(Duration.ofMillis(100)), delays);
        scheduled.remove(0).run();
        answer(r, 2, MethodType.CHANNEL_OPEN_OK);
        answer(r, 2, MethodType.QUEUE_DECLARE_OK, "queue", "mine");
        answer(r, 2, MethodType.CHANNEL_CLOSE_OK);
        answer(r, 1, MethodType.CHANNEL_OPEN_OK);
        assertTrue(r.done().isDone());
        assertEquals(List.of("2:channel.open", "2:queue.declare mine", "2:channel.close-ok", "2:channel.open",
                "2:queue.declare mine", "2:channel.close", "1:channel.open"), sent);
    }

    @Test
    void anyOtherRefusalFailsTheReplayWithWhatWasRefused() {
        client(1, MethodType.CHANNEL_OPEN);
        broker(1, MethodType.CHANNEL_OPEN_OK);
        client(1, MethodType.BASIC_CONSUME, "queue", "gone", "consumer-tag", "t");
        broker(1, MethodType.BASIC_CONSUME_OK, "consumer-tag", "t");
        Replay r = replay(session.upstreamLost());
        r.start();
        answer(r, 1, MethodType.CHANNEL_OPEN_OK);
        answer(r, 1, MethodType.CHANNEL_CLOSE, "reply-code", 404, "reply-text", "NOT_FOUND - no queue 'gone'");
        ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                () -> r.done().get());
        assertEquals("replaying basic.consume 'gone' was refused: 404 NOT_FOUND - no queue 'gone'",
                e.getCause().getMessage());
    }

    @Test
    void backoffDoublesUpToItsCap() {
        assertEquals(List.of(100L, 200L, 400L, 800L, 1600L, 1600L),
                List.of(0, 1, 2, 3, 4, 9).stream().map(i -> Replay.backoff(i).toMillis()).toList());
    }
}
