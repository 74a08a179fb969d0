package ossidecar.chaos.suite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import ossidecar.core.config.ConfigLoader;

class ExternalDeploymentTest {
    @TempDir
    Path dir;

    private ExternalDeployment deployment(String marker) {
        return new ExternalDeployment(ConfigLoader.parse("""
                amqp: {nodes: [{name: rabbit-1, address: 127.0.0.1:5673}]}
                db:
                  nodes: [{name: galera-1, address: 127.0.0.1:3307}]
                  users: [{name: nova, password: pw}]
                  monitor: {user: mon}
                chaos:
                  command-timeout: 2s
                  nodes:
                    - name: rabbit-1
                      kill: touch %s
                      pause: echo cannot pause here; exit 3
                      stop: sleep 30
                """.formatted(marker), "test"));
    }

    @Test
    void aMissingCommandIsWhyTheFaultCannotRun() {
        ExternalDeployment d = deployment(dir.resolve("x").toString());
        assertEquals(Optional.empty(), d.cannot(NodeAction.KILL, "rabbit-1"));
        assertEquals(Optional.of("no start command for rabbit-1 in chaos.nodes"), d.cannot(NodeAction.START, "rabbit-1"));
        assertEquals(Optional.of("no kill command for galera-1 in chaos.nodes"), d.cannot(NodeAction.KILL, "galera-1"));
        assertEquals(Optional.empty(), d.toxiproxy("rabbit-1"), "no toxiproxy configured");
    }

    @Test
    void aCommandRunsWithShAndItsFailureSaysWhatItPrinted() throws Exception {
        Path marker = dir.resolve("killed");
        ExternalDeployment d = deployment(marker.toString());
        d.act(NodeAction.KILL, "rabbit-1");
        assertTrue(Files.exists(marker));
        IOException e = assertThrows(IOException.class, () -> d.act(NodeAction.PAUSE, "rabbit-1"));
        assertEquals("pause rabbit-1: 'echo cannot pause here; exit 3' exited 3: cannot pause here", e.getMessage());
    }

    @Test
    void aCommandThatHangsIsStoppedAtTheTimeout() {
        ExternalDeployment d = deployment(dir.resolve("x").toString());
        IOException e = assertThrows(IOException.class, () -> d.act(NodeAction.STOP, "rabbit-1"));
        assertTrue(e.getMessage().contains("still running after 2 s (chaos.command-timeout)"), e.getMessage());
    }

    @Test
    void theWorkloadsUseTheFirstDbUserWithAPasswordAndTheDirectNodeAddress() {
        ExternalDeployment d = deployment(dir.resolve("x").toString());
        assertEquals("nova", d.dbUser());
        assertEquals("pw", d.dbPassword());
        assertEquals("jdbc:mariadb://127.0.0.1:3307/", d.jdbcUrlOf("galera-1"));
    }
}
