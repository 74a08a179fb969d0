package ossidecar.chaos.suite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ScenariosTest {
    @Test
    void namesAreUniqueAndFindable() {
        Set<String> names = new HashSet<>();
        for (Scenario s : Scenarios.all()) {
            assertTrue(names.add(s.name()), s.name());
            assertEquals(s, Scenarios.named(s.name()).orElseThrow());
            assertFalse(s.title().isBlank());
        }
        assertTrue(Scenarios.named("no-such").isEmpty());
    }

    @Test
    void theIssuesFaultsAreAllThere() {
        for (String name : List.of("amqp-sigkill", "amqp-sigstop", "amqp-clean-stop", "amqp-blackhole",
                "amqp-reset-peer", "amqp-latency-500ms", "amqp-bandwidth-10kbs", "amqp-slicer", "amqp-flapping",
                "amqp-all-down-short", "amqp-all-down-long", "db-writer-sigkill", "db-writer-sigstop",
                "db-writer-clean-stop", "db-writer-blackhole", "db-writer-latency-500ms", "db-writer-desync",
                "db-reader-sigkill", "writer-and-broker-sigkill")) {
            assertTrue(Scenarios.named(name).isPresent(), name);
        }
    }

    @Test
    void theCiSubsetIsAProperSubsetWithBothSides() {
        List<Scenario> ci = Scenarios.ci();
        assertTrue(ci.size() < Scenarios.all().size());
        assertTrue(ci.stream().anyMatch(s -> s.sides().contains(Scenario.Side.AMQP)));
        assertTrue(ci.stream().anyMatch(s -> s.sides().contains(Scenario.Side.DB)));
    }

    @Test
    void theLongOutageHoldsPastTheConfiguredLimit() {
        Scenario s = Scenarios.named("amqp-all-down-long").orElseThrow();
        assertEquals(Duration.ofSeconds(35), s.holdWith(Duration.ofSeconds(30)));
        Scenario shortOne = Scenarios.named("amqp-all-down-short").orElseThrow();
        assertTrue(shortOne.holdWith(Duration.ofSeconds(15)).compareTo(Duration.ofSeconds(15)) < 0);
    }
}
