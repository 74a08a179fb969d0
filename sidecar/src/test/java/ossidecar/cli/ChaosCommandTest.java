package ossidecar.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import ossidecar.chaos.suite.Scenario;
import ossidecar.chaos.suite.Scenarios;
import ossidecar.core.config.ConfigLoader;
import ossidecar.core.config.SidecarConfig;

class ChaosCommandTest {
    @Test
    void theSuitesOwnSidecarKeepsTheNodesAndSettingsOnFreeLoopbackPorts() {
        SidecarConfig c = ConfigLoader.load(MainTest.EXAMPLE);
        SidecarConfig own = ChaosCommand.onFreeLoopbackPorts(c);
        assertEquals(c.amqp().nodes(), own.amqp().nodes());
        assertEquals(c.amqp().heartbeat(), own.amqp().heartbeat());
        assertEquals(c.amqp().outageLimit(), own.amqp().outageLimit());
        assertEquals(c.db().nodes(), own.db().nodes());
        assertEquals(c.db().users(), own.db().users());
        assertEquals(c.db().listeners().size(), own.db().listeners().size());
        assertEquals("127.0.0.1", own.amqp().listen().host());
        assertNotEquals(c.amqp().listen(), own.amqp().listen());
        for (int i = 0; i < own.db().listeners().size(); i++) {
            assertEquals(c.db().listeners().get(i).role(), own.db().listeners().get(i).role());
            assertEquals("127.0.0.1", own.db().listeners().get(i).listen().host());
            assertNotEquals(c.db().listeners().get(i).listen(), own.db().listeners().get(i).listen());
        }
        assertEquals("127.0.0.1", own.admin().listen().host());
        assertNotEquals(c.admin().listen(), own.admin().listen());
    }

    @Test
    void scenariosAreChosenByNameInTheGivenOrderOrByTheCiFlag() {
        assertEquals(java.util.List.of("db-writer-desync", "amqp-sigkill"), ChaosCommand.choose(
                Map.of("--only", "db-writer-desync, amqp-sigkill")).stream().map(Scenario::name).toList());
        assertEquals(Scenarios.ci(), ChaosCommand.choose(Map.of("--ci", "")));
        assertEquals(Scenarios.all(), ChaosCommand.choose(Map.of()));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ChaosCommand.choose(Map.of("--only", "amqp-sigkil")));
        assertTrue(e.getMessage().startsWith("no scenario named 'amqp-sigkil'"), e.getMessage());
    }
}
