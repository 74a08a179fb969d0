package ossidecar.cli.demo;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;

/** The AMQP proxy's failover meters, read back for the demo and chaos reports. */
public record RecoveryReport(long recovered, long gaveUp, long inProgress, long maxMillis, long republished,
                             long acksAbsorbed, long replayed) {

    public static RecoveryReport of(MeterRegistry meters) {
        Timer duration = meters.find("sidecar.amqp.recovery.duration").timer();
        return new RecoveryReport(
                count(meters, "sidecar.amqp.recoveries", "recovered"),
                count(meters, "sidecar.amqp.recoveries", "gave_up"),
                Math.round(meters.find("sidecar.amqp.recovering").gauges().stream().mapToDouble(g -> g.value()).sum()),
                duration == null ? 0 : Math.round(duration.max(TimeUnit.MILLISECONDS)),
                count(meters, "sidecar.amqp.republished", null),
                count(meters, "sidecar.amqp.acks.absorbed", null),
                count(meters, "sidecar.amqp.recovery.replayed", null));
    }

    private static long count(MeterRegistry meters, String name, String outcome) {
        var search = meters.find(name);
        if (outcome != null) {
            search = search.tag("outcome", outcome);
        }
        return Math.round(search.counters().stream().mapToDouble(Counter::count).sum());
    }

    /** Recoveries begun: finished either way, or still holding a client. */
    public long started() {
        return recovered + gaveUp + inProgress;
    }

    @Override
    public String toString() {
        return String.format("%d client connections recovered (%d given up), longest recovery %d ms, "
                        + "%d entities replayed, %d publishes re-sent, %d acks of lost deliveries absorbed",
                recovered, gaveUp, maxMillis, replayed, republished, acksAbsorbed);
    }
}
