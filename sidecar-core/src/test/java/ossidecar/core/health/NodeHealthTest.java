package ossidecar.core.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import ossidecar.core.TestClock;

class NodeHealthTest {
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private final Logger logger = (Logger) LoggerFactory.getLogger(NodeHealth.class);
    private final TestClock clock = new TestClock();

    @BeforeEach
    void capture() {
        logs.start();
        logger.addAppender(logs);
    }

    @AfterEach
    void release() {
        logger.detachAppender(logs);
    }

    @Test
    void eachTransitionIsLoggedAndPublishedOnceRepeatsAreSilent() {
        NodeHealth h = new NodeHealth("amqp", "rabbit-1", BasicNodeState.UNKNOWN, clock);
        List<NodeTransition> seen = new ArrayList<>();
        h.onTransition(seen::add);

        assertTrue(h.transitionTo(BasicNodeState.UP, "connected"));
        for (int i = 0; i < 100; i++) {
            assertFalse(h.transitionTo(BasicNodeState.UP, "connected"));
        }
        clock.advance(Duration.ofSeconds(7));
        assertTrue(h.transitionTo(BasicNodeState.DOWN, "heartbeat missed twice"));

        assertEquals(2, seen.size());
        assertEquals(BasicNodeState.UP, seen.get(1).from());
        assertEquals(BasicNodeState.DOWN, seen.get(1).to());
        assertEquals(Duration.ofSeconds(7), seen.get(1).previousLasted());
        assertEquals(2, logs.list.size());
        assertTrue(logs.list.get(1).getFormattedMessage().contains("node rabbit-1 UP -> DOWN (heartbeat missed twice) after 7000 ms"),
                logs.list.get(1).getFormattedMessage());
        assertFalse(h.available());
    }

    @Test
    void registryExportsAvailabilityAndTransitionsAndSummarisesHealth() {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        NodeRegistry r = new NodeRegistry("db", meters, clock);
        NodeHealth a = r.register("galera-1", BasicNodeState.DOWN);
        NodeHealth b = r.register("galera-2", BasicNodeState.DOWN);
        assertFalse(r.health().up());
        assertEquals(2, r.health().reasons().size());

        b.transitionTo(BasicNodeState.UP, "synced");
        assertTrue(r.health().up());
        assertEquals(1.0, meters.get("sidecar.node.available").tag("node", "galera-2").gauge().value());
        assertEquals(0.0, meters.get("sidecar.node.available").tag("node", "galera-1").gauge().value());
        assertEquals(1.0, meters.get("sidecar.node.transitions").tag("node", "galera-2").tag("to", "UP").counter().count());
        assertEquals("UP", r.status().get(1).get("state"));
        assertEquals("DOWN", a.state().name());
    }

    @Test
    void aFailingListenerDoesNotStopTheTransition() {
        NodeHealth h = new NodeHealth("amqp", "n", BasicNodeState.UNKNOWN, clock);
        List<NodeTransition> seen = new ArrayList<>();
        h.onTransition(t -> {
            throw new IllegalStateException("boom");
        });
        h.onTransition(seen::add);
        assertTrue(h.transitionTo(BasicNodeState.DOWN, "refused"));
        assertEquals(1, seen.size());
        assertEquals(BasicNodeState.DOWN, h.state());
    }
}
