package ossidecar.core.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import ossidecar.core.config.Endpoint;
import ossidecar.core.health.BasicNodeState;
import ossidecar.core.health.NodeHealth;
import ossidecar.core.health.NodeRegistry;
import ossidecar.core.logging.LogControl;
import ossidecar.core.metrics.SidecarMetrics;

/** The admin endpoints over real HTTP on a port-0 server. */
class AdminServerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private SidecarMetrics metrics;
    private NodeRegistry nodes;
    private AdminServer server;

    @BeforeEach
    void start() throws Exception {
        metrics = new SidecarMetrics();
        nodes = new NodeRegistry("amqp", metrics.registry(), Clock.systemUTC());
        nodes.register("rabbit-1", BasicNodeState.UNKNOWN);
        nodes.register("rabbit-2", BasicNodeState.UNKNOWN);
        HealthChecks health = new HealthChecks();
        health.register("amqp", nodes::health);
        StatusReports status = new StatusReports();
        status.register("amqp", () -> Map.of("nodes", nodes.status()));
        server = AdminServer.start(new Endpoint("127.0.0.1", 0),
                new AdminRoutes(metrics, health, status, new LogControl()));
    }

    @AfterEach
    void stop() {
        server.close();
        metrics.close();
    }

    @Test
    void metricsIsPrometheusTextWithJvmAndNodeMeters() throws Exception {
        HttpResponse<String> r = get("/metrics");
        assertEquals(200, r.statusCode());
        assertTrue(r.headers().firstValue("content-type").orElse("").startsWith("text/plain; version=0.0.4"));
        List<PrometheusTextParser.Sample> samples = PrometheusTextParser.parse(r.body());
        assertTrue(samples.stream().anyMatch(s -> s.name().equals("jvm_memory_used_bytes")), "JVM meters bound");
        assertTrue(samples.stream().anyMatch(s -> s.name().equals("sidecar_node_available")
                && s.labels().contains("node=\"rabbit-2\"") && s.value() == 1.0), r.body());
    }

    @Test
    void theParserRejectsWhatIsNotPrometheusText() {
        assertThrows(IllegalArgumentException.class, () -> PrometheusTextParser.parse("{\"not\":\"metrics\"}\n"));
        assertThrows(IllegalArgumentException.class, () -> PrometheusTextParser.parse("metric_x{a=\"1\" 1\n"));
    }

    @Test
    void healthIs200WhileANodeIsAvailableAnd503WithReasonsOtherwise() throws Exception {
        assertEquals(200, get("/health").statusCode());
        for (NodeHealth h : nodes.nodes()) {
            h.transitionTo(BasicNodeState.DOWN, "connection refused");
        }
        HttpResponse<String> r = get("/health");
        assertEquals(503, r.statusCode());
        JsonNode body = JSON.readTree(r.body());
        assertEquals("DOWN", body.get("status").asText());
        assertEquals("amqp node rabbit-1 is DOWN (connection refused)", body.get("reasons").get(0).asText());
        assertEquals("DOWN", body.get("checks").get("amqp").get("status").asText());
    }

    @Test
    void statusListsEachProxysNodesAndStates() throws Exception {
        nodes.node("rabbit-1").transitionTo(BasicNodeState.UP, "connected");
        HttpResponse<String> r = get("/status");
        assertEquals(200, r.statusCode());
        JsonNode n = JSON.readTree(r.body()).get("amqp").get("nodes");
        assertEquals("rabbit-1", n.get(0).get("node").asText());
        assertEquals("UP", n.get(0).get("state").asText());
        assertEquals("UNKNOWN", n.get(1).get("state").asText());
    }

    @Test
    void postToLoggersChangesALevelLiveAndTheChangeTakesEffect() throws Exception {
        String name = "ossidecar.test.live";
        Logger target = (Logger) LoggerFactory.getLogger(name);
        ListAppender<ILoggingEvent> seen = new ListAppender<>();
        seen.start();
        target.addAppender(seen);
        try {
            target.debug("before");
            assertTrue(seen.list.isEmpty(), "debug is off at INFO");

            HttpResponse<String> r = post("/loggers/" + name, "{\"level\":\"debug\"}");
            assertEquals(200, r.statusCode(), r.body());
            assertEquals("DEBUG", JSON.readTree(r.body()).get("effective").asText());
            target.debug("after");
            assertEquals(1, seen.list.size());
            assertEquals("after", seen.list.get(0).getMessage());

            JsonNode all = JSON.readTree(get("/loggers").body());
            assertEquals("DEBUG", all.get("loggers").get(name).get("configured").asText());

            assertEquals(200, post("/loggers/" + name, "{\"level\":null}").statusCode());
            target.debug("inherited again");
            assertEquals(1, seen.list.size());
        } finally {
            target.detachAppender(seen);
            target.setLevel(null);
        }
    }

    @Test
    void badRequestsGetClearErrors() throws Exception {
        HttpResponse<String> r = post("/loggers/x", "{\"level\":\"loud\"}");
        assertEquals(400, r.statusCode());
        assertTrue(r.body().contains("is not one of"), r.body());
        assertEquals(400, post("/loggers/x", "not json").statusCode());
        assertEquals(404, get("/nope").statusCode());
        assertEquals(405, post("/metrics", "").statusCode());
        assertFalse(get("/nope").body().isEmpty());
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.ofString(body))
                .header("content-type", "application/json").build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }
}
