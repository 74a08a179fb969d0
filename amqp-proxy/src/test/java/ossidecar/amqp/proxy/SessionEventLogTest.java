package ossidecar.amqp.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import ossidecar.amqp.recovery.QueueDeclaration;

class SessionEventLogTest {
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final AmqpProxyMetrics metrics = new AmqpProxyMetrics(meters);
    private final RecentNames noticed = new RecentNames(3);
    private final Logger logger = (Logger) LoggerFactory.getLogger(ClientConnection.class);
    private final ListAppender<ILoggingEvent> logged = new ListAppender<>();
    private Level levelBefore;

    @BeforeEach
    void captureTheLog() {
        levelBefore = logger.getLevel();
        logger.setLevel(Level.INFO);
        logger.setAdditive(false); // captured here, not printed by the console appender
        logged.start();
        logger.addAppender(logged);
    }

    @AfterEach
    void restoreTheLog() {
        logger.detachAppender(logged);
        logger.setAdditive(true);
        logger.setLevel(levelBefore);
    }

    private SessionEventLog connection(String id, String vhost) {
        return new SessionEventLog(id, metrics, noticed, () -> vhost);
    }

    private static QueueDeclaration classic(String name, boolean durable) {
        return QueueDeclaration.classify(name, durable, false, false, Map.of());
    }

    private List<String> lines() {
        return logged.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    }

    @Test
    void aClassicQueueIsNamedOnceAcrossTheProxysConnections() {
        connection("amqp-c1", "/").queueDeclared(classic("compute", true));
        connection("amqp-c1", "/").queueDeclared(classic("compute", true));
        connection("amqp-c2", "/").queueDeclared(classic("compute", true));
        assertEquals(1, lines().size(), () -> String.join("\n", lines()));
        String line = lines().get(0);
        assertEquals(Level.INFO, logged.list.get(0).getLevel());
        assertTrue(line.startsWith("[amqp-c1] queue 'compute' in vhost '/' is classic (replicated only if a mirroring "
                + "policy applies), durable"), line);
        assertTrue(line.contains("set rabbit_quorum_queue=true in oslo.messaging"), line);
        assertTrue(line.contains("so it survives a node loss"), line);
    }

    @Test
    void theSameNameInAnotherVhostIsAnotherQueue() {
        connection("amqp-c1", "/").queueDeclared(classic("compute", true));
        connection("amqp-c2", "nova").queueDeclared(classic("compute", true));
        assertEquals(2, lines().size());
    }

    @Test
    void replicatedAndExclusiveQueuesAreCountedButNotLogged() {
        SessionEventLog c = connection("amqp-c1", "/");
        c.queueDeclared(QueueDeclaration.classify("q1", true, false, false, Map.of("x-queue-type", "quorum")));
        c.queueDeclared(QueueDeclaration.classify("s1", true, false, false, Map.of("x-queue-type", "stream")));
        c.queueDeclared(QueueDeclaration.classify("", false, true, true, Map.of()));
        assertEquals(List.of(), lines());
        assertEquals(Map.of("quorum", 1L, "stream", 1L, "classic", 1L), metrics.queuesDeclaredByType());
    }

    @Test
    void everyDeclareIsCountedByTypeAndDurabilityEvenOnceNoLongerLogged() {
        SessionEventLog c = connection("amqp-c1", "/");
        c.queueDeclared(classic("compute", true));
        c.queueDeclared(classic("compute", true));
        c.queueDeclared(classic("reply_1", false));
        assertEquals(2.0, meters.get("sidecar.amqp.queues.declared").tags("type", "classic", "durable", "true")
                .counter().count());
        assertEquals(1.0, meters.get("sidecar.amqp.queues.declared").tags("type", "classic", "durable", "false")
                .counter().count());
        assertEquals(0.0, meters.get("sidecar.amqp.queues.declared").tags("type", "quorum", "durable", "true")
                .counter().count(), "each type is registered up front, at 0");
        assertEquals(3L, metrics.queuesDeclaredByType().get("classic"));
        assertEquals(2, lines().size());
    }

    @Test
    void pastTheBoundAForgottenNameIsLoggedAgainAndMemoryStaysBounded() {
        SessionEventLog c = connection("amqp-c1", "/");
        for (int i = 0; i < 50; i++) {
            c.queueDeclared(classic("random-" + i, false));
        }
        assertEquals(50, lines().size(), "each new name is a new queue that would die with its node");
        assertEquals(3, noticed.size());
        c.queueDeclared(classic("random-49", false));
        assertEquals(50, lines().size(), "a recent name is still remembered");
        c.queueDeclared(classic("random-0", false));
        assertEquals(51, lines().size(), "the oldest name was forgotten");
    }
}
