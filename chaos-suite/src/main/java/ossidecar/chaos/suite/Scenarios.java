package ossidecar.chaos.suite;

import static ossidecar.chaos.suite.Scenario.Side.AMQP;
import static ossidecar.chaos.suite.Scenario.Side.DB;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import ossidecar.chaos.suite.ToxicFault.Kind;

/**
 * The registry: every scenario the tests, {@code sidecar chaos} and {@code sidecar demo} run,
 * by name. Faults hit the worst node for the traffic: the broker under the proxy's clients,
 * the Galera writer; the reader scenario hits a node serving reads.
 */
public final class Scenarios {
    private static final Duration S5 = Duration.ofSeconds(5);
    private static final Duration S8 = Duration.ofSeconds(8);
    private static final Duration S10 = Duration.ofSeconds(10);

    private static final List<Scenario> ALL = List.of(
            amqp("amqp-sigkill", ProcessFault.kill(Target.AMQP_UNDER_CLIENTS), Duration.ofSeconds(2), true, false),
            amqp("amqp-sigstop", ProcessFault.pause(Target.AMQP_UNDER_CLIENTS), Duration.ofSeconds(7), false, false),
            amqp("amqp-clean-stop", ProcessFault.stop(Target.AMQP_UNDER_CLIENTS), Duration.ofSeconds(2), true, false),
            amqp("amqp-blackhole", toxic(Target.AMQP_UNDER_CLIENTS, Kind.BLACKHOLE, 0, 0), S8, false, false),
            amqp("amqp-reset-peer", toxic(Target.AMQP_UNDER_CLIENTS, Kind.RESET_PEER, 0, 0), S5, true, true),
            amqp("amqp-latency-500ms", toxic(Target.AMQP_UNDER_CLIENTS, Kind.LATENCY, 500, 0), S10, false, true),
            amqp("amqp-bandwidth-10kbs", toxic(Target.AMQP_UNDER_CLIENTS, Kind.BANDWIDTH, 10, 0), S10, false, false),
            amqp("amqp-slicer", toxic(Target.AMQP_UNDER_CLIENTS, Kind.SLICER, 64, 200), S10, false, false),
            amqp("amqp-flapping", new FlappingFault(Target.AMQP_UNDER_CLIENTS, Duration.ofSeconds(3),
                    Duration.ofSeconds(60)), Duration.ZERO, false, false),
            amqp("amqp-all-down-short", toxic(Target.AMQP_ALL, Kind.DISABLED, 0, 0), S5, false, true),
            new Scenario("amqp-all-down-long", Set.of(AMQP), toxic(Target.AMQP_ALL, Kind.DISABLED, 0, 0),
                    S5, true, false, Set.of("connection losses the client saw",
                    "publishes never answered", "RPC calls failed", "RPC calls timed out",
                    "idle sessions that failed when used again"),
                    Set.of("connection lost"), false),
            db("db-writer-sigkill", ProcessFault.kill(Target.DB_WRITER), Duration.ofSeconds(2), true, false),
            db("db-writer-sigstop", ProcessFault.pause(Target.DB_WRITER), S10, true, false),
            db("db-writer-clean-stop", ProcessFault.stop(Target.DB_WRITER), Duration.ofSeconds(2), true, false),
            db("db-writer-blackhole", toxic(Target.DB_WRITER, Kind.BLACKHOLE, 0, 0), S10, true, false),
            db("db-writer-latency-500ms", toxic(Target.DB_WRITER, Kind.LATENCY, 500, 0), S10, false, false),
            db("db-writer-desync", new DesyncFault(), S8, true, true),
            db("db-reader-sigkill", ProcessFault.kill(Target.DB_READER), Duration.ofSeconds(2), true, true),
            new Scenario("writer-and-broker-sigkill", Set.of(AMQP, DB),
                    new CombinedFault(ProcessFault.kill(Target.AMQP_UNDER_CLIENTS), ProcessFault.kill(Target.DB_WRITER)),
                    Duration.ofSeconds(2), false, true, Set.of(), Set.of(), true));

    private Scenarios() {
    }

    public static List<Scenario> all() {
        return ALL;
    }

    /** The subset the README's test command runs. */
    public static List<Scenario> ci() {
        return ALL.stream().filter(Scenario::ci).toList();
    }

    public static Optional<Scenario> named(String name) {
        return ALL.stream().filter(s -> s.name().equals(name)).findFirst();
    }

    private static Scenario amqp(String name, Fault f, Duration hold, boolean untilRecovered, boolean ci) {
        return new Scenario(name, Set.of(AMQP), f, hold, false, untilRecovered, Set.of(), Set.of(), ci);
    }

    private static Scenario db(String name, Fault f, Duration hold, boolean untilRecovered, boolean ci) {
        return new Scenario(name, Set.of(DB), f, hold, false, untilRecovered, Set.of(), Set.of(), ci);
    }

    private static Fault toxic(Target t, Kind k, long a, long b) {
        return new ToxicFault(t, k, a, b);
    }
}
