package ossidecar.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import ossidecar.chaos.SharedClusters;
import ossidecar.chaos.suite.LocalDeployment;
import ossidecar.chaos.suite.Narrator;

/**
 * {@code sidecar chaos -c FILE --i-know-this-breaks-things} against the harness's clusters
 * described as a real deployment: the sidecar sections of the generated config, and a chaos
 * section with the Toxiproxy server's URL and fault commands that are {@code /bin/kill} of
 * each Galera node's process group. No broker node has a kill command, so the broker kill is
 * skipped with the reason; the rest runs and is reported.
 */
class ChaosAgainstADeploymentIT {
    @TempDir
    Path dir;

    @Test
    void runsTheScenariosItHasCommandsForAndSkipsTheOthersWithTheReason() throws Exception {
        try (LocalDeployment d = LocalDeployment.on(SharedClusters.rabbit(), SharedClusters.galera(), Narrator.silent())) {
            StringBuilder yaml = new StringBuilder(d.configYaml());
            yaml.append("chaos:\n  toxiproxy: ").append(d.toxiproxyUrl()).append('\n')
                    .append("  amqp-user: ").append(d.amqpUser()).append("\n  amqp-password: ")
                    .append(d.amqpPassword()).append("\n  command-timeout: 60s\n  nodes:\n");
            for (int i = 1; i <= 3; i++) {
                long group = d.galera().node(i).process().pid();
                yaml.append("    - name: galera-").append(i).append('\n')
                        .append("      pause: /bin/kill -s STOP -- -").append(group).append('\n')
                        .append("      resume: /bin/kill -s CONT -- -").append(group).append('\n');
            }
            Path config = dir.resolve("deployment.yaml");
            Files.writeString(config, yaml);
            Path report = Path.of("target", "chaos-report-deployment");

            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int exit = new Main(new PrintStream(out, true, StandardCharsets.UTF_8),
                    new PrintStream(err, true, StandardCharsets.UTF_8)).run("chaos", "-c", config.toString(),
                    ChaosCommand.CONFIRM, "--only", "amqp-sigkill,db-writer-sigstop,amqp-reset-peer",
                    "--report", report.toString());
            String printed = out.toString(StandardCharsets.UTF_8);
            assertEquals(0, exit, printed + err.toString(StandardCharsets.UTF_8));
            assertTrue(printed.contains("scenario 3/3 amqp-reset-peer"), printed);

            JsonNode json = new ObjectMapper().readTree(report.resolve("chaos-report.json").toFile());
            Map<String, JsonNode> byName = new HashMap<>();
            json.get("scenarios").forEach(s -> byName.put(s.get("name").asText(), s));
            assertEquals("SKIPPED", byName.get("amqp-sigkill").get("status").asText());
            assertEquals("no kill command for rabbit-1 in chaos.nodes",
                    byName.get("amqp-sigkill").get("reason").asText());
            assertEquals("PASSED", byName.get("db-writer-sigstop").get("status").asText(),
                    byName.get("db-writer-sigstop").toPrettyString());
            assertEquals("PASSED", byName.get("amqp-reset-peer").get("status").asText(),
                    byName.get("amqp-reset-peer").toPrettyString());
            assertTrue(Files.readString(report.resolve("chaos-report.html")).contains("no kill command for rabbit-1"));
            for (int i = 1; i <= 3; i++) {
                assertTrue(d.galera().node(i).isRunning() && !d.galera().node(i).process().isPaused(),
                        "galera-" + i + " left running");
            }
        }
    }
}
