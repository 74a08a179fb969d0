package ossidecar.amqp.recovery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.util.ReferenceCountUtil;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import ossidecar.amqp.codec.Frame;
import ossidecar.amqp.codec.LongString;
import ossidecar.amqp.codec.Method;
import ossidecar.amqp.codec.MethodFrame;
import ossidecar.amqp.codec.MethodType;
import ossidecar.amqp.recovery.QueueDeclaration.Type;

class QueueDeclarationTest {

    private static QueueDeclaration classify(boolean durable, boolean exclusive, Map<String, Object> arguments) {
        return QueueDeclaration.classify("q", durable, exclusive, false, arguments);
    }

    @Test
    void quorumAndStreamQueuesSurviveTheirNode() {
        QueueDeclaration quorum = classify(true, false, Map.of("x-queue-type", "quorum"));
        assertEquals(Type.QUORUM, quorum.type());
        assertTrue(quorum.survivesNodeLoss());
        assertFalse(quorum.worthANotice());
        QueueDeclaration stream = classify(true, false, Map.of("x-queue-type", "stream"));
        assertEquals(Type.STREAM, stream.type());
        assertTrue(stream.survivesNodeLoss());
    }

    @Test
    void aQueueWithoutATypeIsClassicAndDoesNotSurviveItsNode() {
        // oslo.messaging's default: no x-queue-type, durable or not, never exclusive
        for (boolean durable : new boolean[] {true, false}) {
            QueueDeclaration q = classify(durable, false, Map.of());
            assertEquals(Type.CLASSIC, q.type());
            assertEquals(durable, q.durable());
            assertFalse(q.survivesNodeLoss());
            assertTrue(q.worthANotice());
        }
        assertEquals(Type.CLASSIC, classify(true, false, null).type());
        assertEquals(Type.CLASSIC, classify(true, false, Map.of("x-queue-type", "classic")).type());
        assertEquals(Type.CLASSIC, classify(true, false, Map.of("x-message-ttl", 60_000)).type());
    }

    @Test
    void theClassicTypeSaysThatOnlyAPolicyCouldReplicateIt() {
        assertEquals("classic (replicated only if a mirroring policy applies)",
                classify(true, false, Map.of()).describeType());
        assertEquals("quorum", classify(true, false, Map.of("x-queue-type", "quorum")).describeType());
    }

    @Test
    void theTypeIsReadWhateverStringTypeAndCaseTheClientUsed() {
        assertEquals(Type.QUORUM, classify(true, false, Map.of("x-queue-type", LongString.of("quorum"))).type());
        assertEquals(Type.QUORUM, classify(true, false, Map.of("x-queue-type", "Quorum")).type());
        assertEquals(Type.CLASSIC, classify(true, false, Map.of("x-queue-type", "no-such-type")).type());
    }

    @Test
    void anExclusiveQueueIsCountedButNeedsNoNotice() {
        QueueDeclaration q = classify(false, true, Map.of());
        assertFalse(q.survivesNodeLoss(), "it dies with its node");
        assertFalse(q.worthANotice(), "it dies with its connection anyway and cannot be a quorum queue");
    }

    @Test
    void readsTheFieldsOfAQueueDeclare() {
        Method m = Method.of(MethodType.QUEUE_DECLARE, "queue", "reply_abc", "durable", false, "auto-delete", true,
                "arguments", Map.of("x-queue-type", "quorum"));
        assertEquals(new QueueDeclaration("reply_abc", Type.QUORUM, false, false, true), QueueDeclaration.of(m));
        assertThrows(IllegalArgumentException.class,
                () -> QueueDeclaration.of(Method.of(MethodType.QUEUE_BIND, "queue", "q")));
    }

    @Test
    void theSessionReportsEveryClientDeclareButNotPassiveOnes() {
        List<QueueDeclaration> declared = new ArrayList<>();
        ProxiedSession session = new ProxiedSession(true, new ProxiedSession.Events() {
            @Override
            public void queueDeclared(QueueDeclaration queue) {
                declared.add(queue);
            }
        });
        ProxiedSession.Sink discard = new ProxiedSession.Sink() {
            @Override
            public void toUpstream(Frame frame) {
                ReferenceCountUtil.release(frame);
            }

            @Override
            public void toClient(Frame frame) {
                ReferenceCountUtil.release(frame);
            }
        };
        session.fromClient(new MethodFrame(1, Method.of(MethodType.CHANNEL_OPEN)), discard);
        session.fromBroker(new MethodFrame(1, Method.of(MethodType.CHANNEL_OPEN_OK)), discard);
        session.fromClient(new MethodFrame(1, Method.of(MethodType.QUEUE_DECLARE, "queue", "compute",
                "durable", true)), discard);
        session.fromBroker(new MethodFrame(1, Method.of(MethodType.QUEUE_DECLARE_OK, "queue", "compute")), discard);
        session.fromClient(new MethodFrame(1, Method.of(MethodType.QUEUE_DECLARE, "queue", "compute",
                "passive", true)), discard);
        session.fromBroker(new MethodFrame(1, Method.of(MethodType.QUEUE_DECLARE_OK, "queue", "compute")), discard);
        session.fromClient(new MethodFrame(1, Method.of(MethodType.QUEUE_DECLARE, "queue", "scheduler",
                "durable", true, "nowait", true, "arguments", Map.of("x-queue-type", "quorum"))), discard);
        assertEquals(List.of(new QueueDeclaration("compute", Type.CLASSIC, true, false, false),
                new QueueDeclaration("scheduler", Type.QUORUM, true, false, false)), declared);
        session.close();
    }
}
