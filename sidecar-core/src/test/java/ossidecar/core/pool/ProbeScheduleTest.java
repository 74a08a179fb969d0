package ossidecar.core.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import ossidecar.core.TestClock;
import ossidecar.core.config.BackendNode;
import ossidecar.core.config.ConnectStrategy;
import ossidecar.core.config.Endpoint;
import ossidecar.core.health.NodeRegistry;
import ossidecar.core.pool.BackendPool.Backend;

class ProbeScheduleTest {
    private static final Duration INTERVAL = Duration.ofMillis(2000);
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final BackendPool pool = new BackendPool("amqp",
            List.of(node("a"), node("b"), node("c")), ConnectStrategy.ROUND_ROBIN,
            new NodeRegistry("amqp", meters, new TestClock()), meters);
    private final Backend a = pool.backends().get(0);
    private final Backend b = pool.backends().get(1);

    @Test
    void upAndUntriedNodesAreNeverProbed() {
        ProbeSchedule s = new ProbeSchedule(INTERVAL, () -> 0.0);
        pool.connected(a, Duration.ZERO); // a UP, b and c UNKNOWN
        for (long t = 0; t <= 60_000; t += 100) {
            assertEquals(List.of(), s.due(pool.backends(), t));
        }
    }

    @Test
    void aDownNodeIsProbedAfterAQuarterIntervalThenWaitsGrowToTheInterval() {
        ProbeSchedule s = new ProbeSchedule(INTERVAL, () -> 0.0);
        down(a);
        assertEquals(List.of(), s.due(pool.backends(), 0), "seen down now: first probe one wait later");
        assertEquals(List.of(), s.due(pool.backends(), 499));
        assertEquals(List.of(a), s.due(pool.backends(), 500));
        assertEquals(List.of(), s.due(pool.backends(), 10_000), "one probe in flight at a time");
        s.failed(a, 10_000);
        assertEquals(List.of(), s.due(pool.backends(), 10_999));
        assertEquals(List.of(a), s.due(pool.backends(), 11_000));
        s.failed(a, 11_000);
        assertEquals(List.of(a), s.due(pool.backends(), 13_000));
        s.failed(a, 13_000);
        assertEquals(List.of(), s.due(pool.backends(), 14_999));
        assertEquals(List.of(a), s.due(pool.backends(), 15_000), "capped at the interval");
        assertEquals(4, s.attempts(a));
    }

    @Test
    void jitterShortensAWaitToNoLessThanHalf() {
        ProbeSchedule whole = new ProbeSchedule(INTERVAL, () -> 0.0);
        ProbeSchedule halved = new ProbeSchedule(INTERVAL, () -> 0.999_999);
        for (int attempt = 1; attempt <= 20; attempt++) {
            long w = whole.waitMillis(attempt);
            long h = halved.waitMillis(attempt);
            assertTrue(w <= INTERVAL.toMillis(), "never longer than the interval: " + w);
            assertTrue(h > w / 2 - 1 && h <= w, attempt + ": " + h + " of " + w);
        }
        assertEquals(2000, whole.waitMillis(20));
        assertEquals(1001, halved.waitMillis(20));
        assertEquals(1500, new ProbeSchedule(INTERVAL, () -> 0.5).waitMillis(20));
    }

    @Test
    void anAnswerForgetsTheNodeAndTheNextOutageStartsWithShortWaitsAgain() {
        ProbeSchedule s = new ProbeSchedule(INTERVAL, () -> 0.0);
        down(a);
        s.due(pool.backends(), 0);
        for (long t = 500; t < 20_000; t += 2_000) {
            assertEquals(List.of(a), s.due(pool.backends(), t));
            s.failed(a, t);
        }
        assertEquals(List.of(a), s.due(pool.backends(), 40_000));
        s.answered(a);
        pool.probeAnswered(a, Duration.ofMillis(3));
        assertEquals(0, s.attempts(a));
        assertEquals(List.of(), s.due(pool.backends(), 40_100), "UP: no probes");

        down(a);
        s.due(pool.backends(), 50_000);
        assertEquals(List.of(a), s.due(pool.backends(), 50_500), "a quarter interval, as after the first death");
    }

    @Test
    void aNodeThatComesBackThroughAClientConnectionIsForgotten() {
        ProbeSchedule s = new ProbeSchedule(INTERVAL, () -> 0.0);
        down(a);
        down(b);
        s.due(pool.backends(), 0);
        assertEquals(List.of(a, b), s.due(pool.backends(), 500), "each DOWN node on its own schedule");
        s.failed(a, 500);
        s.failed(b, 500);
        pool.connected(b, Duration.ZERO);
        assertEquals(List.of(a), s.due(pool.backends(), 1_500));
        assertEquals(0, s.attempts(b));
    }

    @Test
    void aLateFailureOfAForgottenNodeChangesNothing() {
        ProbeSchedule s = new ProbeSchedule(INTERVAL, () -> 0.0);
        s.failed(a, 0);
        assertEquals(0, s.attempts(a));
        assertEquals(List.of(), s.due(pool.backends(), 10_000));
    }

    private void down(Backend x) {
        pool.connectFailed(x, Duration.ZERO, new IOException("Connection refused"));
    }

    private static BackendNode node(String name) {
        return new BackendNode(name, new Endpoint("127.0.0.1", 1000 + name.charAt(0)));
    }
}
