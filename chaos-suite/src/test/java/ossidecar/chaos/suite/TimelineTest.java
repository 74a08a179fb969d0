package ossidecar.chaos.suite;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;

class TimelineTest {
    private static final long S = 1_000_000_000L;
    private static final long MS = 1_000_000L;

    @Test
    void latencyIsSplitIntoBeforeDuringAndAfterTheFault() {
        Timeline t = new Timeline(0);
        for (int i = 0; i < 10; i++) {
            t.success(i * 100 * MS, i * 100 * MS + 2 * MS); // before the fault at 2 s: 2 ms each
        }
        t.success(2 * S - 10 * MS, 4 * S); // in flight across the fault: during
        t.success(5 * S, 5 * S + 7 * MS); // after the heal at 4.5 s
        Timeline.Summary s = t.summarize(2 * S, 2 * S, 4500 * MS, 6 * S);
        assertEquals(new Timeline.Latency(10, 2.0, 2.0), s.before());
        assertEquals(new Timeline.Latency(1, 2010.0, 2010.0), s.during());
        assertEquals(new Timeline.Latency(1, 7.0, 7.0), s.after());
        assertEquals(12, s.successes());
    }

    @Test
    void firstSuccessAfterTheFaultCountsOnlyOperationsBegunAfterIt() {
        Timeline t = new Timeline(0);
        t.success(900 * MS, 3 * S); // began before the fault: says nothing about recovery
        t.error(1500 * MS, 1600 * MS, "nack");
        t.success(2 * S, 3500 * MS);
        t.success(2500 * MS, 3200 * MS);
        Timeline.Summary s = t.summarize(1 * S, 1 * S, 4 * S, 5 * S);
        assertEquals(2200.0, s.firstSuccessAfterFaultMs());
        assertEquals(Map.of("nack", 1), s.errorsByKind());
        assertEquals(1, s.errors());
    }

    @Test
    void recoveryCountsFromWhenTheFaultTookEffectAndOnlyOperationsBegunAfterIt() {
        Timeline t = new Timeline(0);
        t.success(1100 * MS, 1105 * MS); // between the kill command and the process being gone
        t.success(900 * MS, 2600 * MS); // in flight across the fault
        t.success(1600 * MS, 2500 * MS); // the first begun once the node was gone
        Timeline.Summary s = t.summarize(1 * S, 1500 * MS, 3 * S, 4 * S);
        assertEquals(1000.0, s.firstSuccessAfterFaultMs());
        assertEquals(1, t.successesBegunSince(1500 * MS));
        assertEquals(2, t.successesSince(2 * S));
    }

    @Test
    void noSuccessAfterTheFaultIsMinusOne() {
        Timeline t = new Timeline(0);
        t.success(0, MS);
        t.error(2 * S, 3 * S, "1213");
        assertEquals(-1.0, t.summarize(1 * S, 1 * S, 2 * S, 3 * S).firstSuccessAfterFaultMs());
    }

    @Test
    void perSecondBucketsCountWhatEndedInThemAndTheirSuccessesLatency() {
        Timeline t = new Timeline(10 * S);
        t.success(10 * S, 10 * S + 5 * MS);
        t.success(10 * S, 10 * S + 9 * MS);
        t.error(11 * S, 11 * S + 500 * MS, "nack");
        var seconds = t.summarize(11 * S, 11 * S, 11 * S, 13 * S).seconds();
        assertEquals(3, seconds.size());
        assertEquals(new Timeline.Second(0, 2, 0, 5.0, 9.0), seconds.get(0));
        assertEquals(new Timeline.Second(1, 0, 1, -1, -1), seconds.get(1));
        assertEquals(new Timeline.Second(2, 0, 0, -1, -1), seconds.get(2));
    }

    @Test
    void percentilesAreNearestRank() {
        Timeline t = new Timeline(0);
        for (int i = 1; i <= 100; i++) {
            t.success(0, i * MS);
        }
        Timeline.Summary s = t.summarize(S, S, S, S);
        assertEquals(50.0, s.before().p50Ms());
        assertEquals(99.0, s.before().p99Ms());
        assertEquals(1, t.successesSince(99 * MS + 1));
    }
}
