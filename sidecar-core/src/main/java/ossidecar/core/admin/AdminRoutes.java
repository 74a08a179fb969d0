package ossidecar.core.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import ossidecar.core.health.HealthStatus;
import ossidecar.core.logging.LogControl;
import ossidecar.core.metrics.SidecarMetrics;

/**
 * The admin endpoints as a pure function from request to response, so they are tested
 * without sockets; {@link AdminServer} only carries HTTP.
 *
 * <ul>
 *   <li>{@code GET /metrics}: Prometheus text.</li>
 *   <li>{@code GET /health}: 200 or 503, with the reasons as JSON.</li>
 *   <li>{@code GET /status}: JSON, each proxy with its nodes and their states.</li>
 *   <li>{@code GET /loggers}: every logger's level; {@code POST /loggers/NAME} with
 *       {@code {"level":"debug"}} changes one live ({@code null} inherits).</li>
 * </ul>
 */
public final class AdminRoutes {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final SidecarMetrics metrics;
    private final HealthChecks health;
    private final StatusReports status;
    private final LogControl logs;

    public AdminRoutes(SidecarMetrics metrics, HealthChecks health, StatusReports status, LogControl logs) {
        this.metrics = metrics;
        this.health = health;
        this.status = status;
        this.logs = logs;
    }

    public AdminResponse handle(String method, String rawPath, byte[] body) {
        String path = rawPath;
        int q = path.indexOf('?');
        if (q >= 0) {
            path = path.substring(0, q);
        }
        if (path.length() > 1 && path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        boolean get = method.equals("GET") || method.equals("HEAD");
        if (path.equals("/metrics")) {
            return get ? AdminResponse.text(200, SidecarMetrics.CONTENT_TYPE, metrics.scrape()) : notAllowed("GET");
        }
        if (path.equals("/health")) {
            return get ? health() : notAllowed("GET");
        }
        if (path.equals("/status")) {
            return get ? json(200, status.collect()) : notAllowed("GET");
        }
        if (path.equals("/loggers")) {
            return get ? json(200, Map.of("levels", LogControl.LEVELS, "loggers", logs.levels())) : notAllowed("GET");
        }
        if (path.startsWith("/loggers/")) {
            String name = URLDecoder.decode(path.substring("/loggers/".length()), StandardCharsets.UTF_8);
            if (method.equals("POST")) {
                return setLevel(name, body);
            }
            if (get) {
                Map<String, String> one = logs.levels().get(name);
                return one == null ? error(404, "no logger named '" + name + "' exists yet") : json(200, one);
            }
            return notAllowed("GET, POST");
        }
        return error(404, "no such endpoint: " + path + " (try /metrics, /health, /status, /loggers)");
    }

    private AdminResponse health() {
        Map<String, HealthStatus> results = health.evaluate();
        HealthStatus overall = HealthChecks.overall(results);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", overall.up() ? "UP" : "DOWN");
        body.put("reasons", overall.reasons());
        Map<String, Object> checks = new LinkedHashMap<>();
        results.forEach((k, v) -> checks.put(k, Map.of("status", v.up() ? "UP" : "DOWN", "reasons", v.reasons())));
        body.put("checks", checks);
        return json(overall.up() ? 200 : 503, body);
    }

    private AdminResponse setLevel(String name, byte[] body) {
        JsonNode req;
        try {
            req = JSON.readTree(body);
        } catch (java.io.IOException e) {
            return error(400, "body is not JSON: send {\"level\":\"debug\"}");
        }
        if (req == null || !req.isObject() || !req.has("level")) {
            return error(400, "body must be {\"level\":\"trace|debug|info|warn|error|off\"} or {\"level\":null}");
        }
        JsonNode level = req.get("level");
        try {
            logs.setLevel(name, level.isNull() ? null : level.asText());
        } catch (IllegalArgumentException e) {
            return error(400, e.getMessage());
        }
        return json(200, logs.levels().get(name.isEmpty() ? "ROOT" : name));
    }

    private static AdminResponse notAllowed(String allowed) {
        return error(405, "method not allowed (allowed: " + allowed + ")");
    }

    private static AdminResponse error(int status, String message) {
        return json(status, Map.of("error", message, "status", status));
    }

    private static AdminResponse json(int status, Object body) {
        try {
            return new AdminResponse(status, AdminResponse.JSON, JSON.writeValueAsBytes(body));
        } catch (JsonProcessingException e) {
            return AdminResponse.text(500, "text/plain", "cannot render JSON: " + e.getOriginalMessage());
        }
    }
}
