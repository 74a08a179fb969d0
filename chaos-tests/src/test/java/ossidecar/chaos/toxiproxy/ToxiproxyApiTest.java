package ossidecar.chaos.toxiproxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The API's routes, statuses, messages and JSON shapes over a fake data plane (no sockets). */
class ToxiproxyApiTest {

    /** Binds nothing; hands out ports from 20000 for port 0, records what happened. */
    private static final class FakeDataPlane implements DataPlane {
        final List<String> events = new ArrayList<>();
        final Set<String> taken = new java.util.HashSet<>();
        int nextPort = 20000;

        @Override
        public Bound bind(String proxyName, String listen, String upstream, ToxicChain toxics) throws Exception {
            if (taken.contains(listen)) {
                throw new java.io.IOException("bind: Address already in use");
            }
            String address = listen.endsWith(":0") ? listen.substring(0, listen.length() - 1) + nextPort++ : listen;
            events.add("bind " + proxyName + " " + address + " " + upstream);
            return new Bound() {
                @Override
                public String address() {
                    return address;
                }

                @Override
                public void close() {
                    events.add("close " + proxyName + " " + address);
                }
            };
        }
    }

    private FakeDataPlane plane;
    private ToxiproxyApi api;

    @BeforeEach
    void setUp() {
        plane = new FakeDataPlane();
        api = new ToxiproxyApi(plane);
    }

    private ApiResponse call(String method, String path, String body) {
        return api.handle(method, path, body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8), "test");
    }

    private static JsonNode json(ApiResponse r) throws Exception {
        return ApiResponse.MAPPER.readTree(r.body());
    }

    private static void assertError(ApiResponse r, int status, String message) throws Exception {
        assertEquals(status, r.status(), r.bodyText());
        assertEquals("application/json", r.contentType());
        assertEquals("{\"error\":\"" + message + "\",\"status\":" + status + "}", r.bodyText());
    }

    private void create(String name) {
        ApiResponse r = call("POST", "/proxies", "{\"name\":\"" + name + "\",\"listen\":\"127.0.0.1:0\","
                + "\"upstream\":\"127.0.0.1:9\"}");
        assertEquals(201, r.status(), r.bodyText());
    }

    @Test
    void createAnswers201WithTheBoundAddress() throws Exception {
        ApiResponse r = call("POST", "/proxies", "{\"name\":\"a\",\"listen\":\"127.0.0.1:0\",\"upstream\":\"127.0.0.1:9\"}");
        assertEquals(201, r.status());
        assertEquals("{\"name\":\"a\",\"listen\":\"127.0.0.1:20000\",\"upstream\":\"127.0.0.1:9\",\"enabled\":true,"
                + "\"toxics\":[]}", r.bodyText());
        assertEquals(List.of("bind a 127.0.0.1:20000 127.0.0.1:9"), plane.events);
    }

    @Test
    void createDefaultsListenToLoopbackAndMayStartDisabled() throws Exception {
        JsonNode p = json(call("POST", "/proxies", "{\"name\":\"a\",\"upstream\":\"x:1\",\"enabled\":false}"));
        assertEquals("127.0.0.1:0", p.get("listen").asText());
        assertEquals(false, p.get("enabled").asBoolean());
        assertEquals(List.of(), plane.events);
    }

    @Test
    void createErrors() throws Exception {
        create("a");
        assertError(call("POST", "/proxies", "{\"name\":\"a\",\"upstream\":\"x:1\"}"), 409, "proxy already exists");
        assertError(call("POST", "/proxies", "{\"upstream\":\"x:1\"}"), 400, "missing required field: name");
        assertError(call("POST", "/proxies", "{\"name\":\"b\"}"), 400, "missing required field: upstream");
        assertError(call("POST", "/proxies", ""), 400, "bad request body: EOF");
        ApiResponse garbage = call("POST", "/proxies", "{not json");
        assertEquals(400, garbage.status());
        assertTrue(json(garbage).get("error").asText().startsWith("bad request body: "));
        ApiResponse wrongType = call("POST", "/proxies", "{\"name\":\"c\",\"upstream\":\"x:1\",\"enabled\":\"yes\"}");
        assertEquals(400, wrongType.status());
    }

    @Test
    void bindFailureIs500AndLeavesNoProxy() throws Exception {
        plane.taken.add("127.0.0.1:7");
        ApiResponse r = call("POST", "/proxies", "{\"name\":\"a\",\"listen\":\"127.0.0.1:7\",\"upstream\":\"x:1\"}");
        assertEquals(500, r.status());
        assertTrue(json(r).get("error").asText().contains("Address already in use"), r.bodyText());
        assertEquals("{}", call("GET", "/proxies", null).bodyText());
    }

    @Test
    void indexIsAnObjectKeyedByName() throws Exception {
        create("b");
        create("a");
        JsonNode all = json(call("GET", "/proxies", null));
        assertEquals(List.of("a", "b"), iterable(all.fieldNames()));
        assertEquals("b", all.get("b").get("name").asText());
        assertTrue(all.get("a").get("toxics").isArray());
    }

    @Test
    void showUpdateDelete() throws Exception {
        create("a");
        assertEquals("a", json(call("GET", "/proxies/a", null)).get("name").asText());
        assertError(call("GET", "/proxies/zz", null), 404, "proxy not found");

        JsonNode disabled = json(call("POST", "/proxies/a", "{\"enabled\":false}"));
        assertEquals(false, disabled.get("enabled").asBoolean());
        assertEquals("127.0.0.1:20000", disabled.get("listen").asText());
        JsonNode enabled = json(call("PATCH", "/proxies/a", "{\"enabled\":true}"));
        assertEquals(true, enabled.get("enabled").asBoolean());
        assertEquals("127.0.0.1:20000", enabled.get("listen").asText());

        JsonNode moved = json(call("PATCH", "/proxies/a", "{\"upstream\":\"127.0.0.1:10\"}"));
        assertEquals("127.0.0.1:10", moved.get("upstream").asText());
        JsonNode relisten = json(call("POST", "/proxies/a", "{\"listen\":\"127.0.0.1:0\"}"));
        assertEquals("127.0.0.1:20001", relisten.get("listen").asText());
        assertEquals(true, relisten.get("enabled").asBoolean());
        // Unchanged fields cause no restart.
        int events = plane.events.size();
        assertEquals(200, call("PATCH", "/proxies/a", "{\"listen\":\"127.0.0.1:20001\"}").status());
        assertEquals(events, plane.events.size());

        ApiResponse del = call("DELETE", "/proxies/a", null);
        assertEquals(204, del.status());
        assertEquals(0, del.body().length);
        assertError(call("DELETE", "/proxies/a", null), 404, "proxy not found");
        assertError(call("PATCH", "/proxies/a", "{}"), 404, "proxy not found");
        assertEquals(List.of("bind a 127.0.0.1:20000 127.0.0.1:9", "close a 127.0.0.1:20000",
                "bind a 127.0.0.1:20000 127.0.0.1:9", "close a 127.0.0.1:20000",
                "bind a 127.0.0.1:20000 127.0.0.1:10", "close a 127.0.0.1:20000",
                "bind a 127.0.0.1:20001 127.0.0.1:10", "close a 127.0.0.1:20001"), plane.events);
    }

    @Test
    void toxicsCrud() throws Exception {
        create("a");
        ApiResponse created = call("POST", "/proxies/a/toxics",
                "{\"type\":\"latency\",\"attributes\":{\"latency\":100,\"jitter\":5}}");
        assertEquals(200, created.status());
        assertEquals("{\"attributes\":{\"latency\":100,\"jitter\":5},\"name\":\"latency_downstream\","
                + "\"type\":\"latency\",\"stream\":\"downstream\",\"toxicity\":1}", created.bodyText());
        assertError(call("POST", "/proxies/a/toxics", "{\"type\":\"latency\"}"), 409, "toxic already exists");
        assertError(call("POST", "/proxies/a/toxics", "{\"type\":\"nope\"}"), 400, "invalid toxic type");
        assertError(call("POST", "/proxies/a/toxics", "{\"type\":\"timeout\",\"stream\":\"x\"}"), 400,
                "stream was invalid, can be either upstream or downstream");
        assertError(call("POST", "/proxies/zz/toxics", "{\"type\":\"timeout\"}"), 404, "proxy not found");
        assertEquals(200, call("POST", "/proxies/a/toxics",
                "{\"name\":\"cut\",\"type\":\"timeout\",\"stream\":\"upstream\"}").status());

        JsonNode list = json(call("GET", "/proxies/a/toxics", null));
        assertEquals(2, list.size());
        assertEquals("cut", list.get(0).get("name").asText());
        assertEquals(2, json(call("GET", "/proxies/a", null)).get("toxics").size());

        JsonNode merged = json(call("PATCH", "/proxies/a/toxics/latency_downstream",
                "{\"attributes\":{\"latency\":300}}"));
        assertEquals(300, merged.get("attributes").get("latency").asLong());
        assertEquals(5, merged.get("attributes").get("jitter").asLong());
        JsonNode tox = json(call("POST", "/proxies/a/toxics/latency_downstream", "{\"toxicity\":0.5}"));
        assertEquals(0.5, tox.get("toxicity").asDouble());
        assertEquals(300, tox.get("attributes").get("latency").asLong());
        assertEquals(tox, json(call("GET", "/proxies/a/toxics/latency_downstream", null)));

        assertError(call("GET", "/proxies/a/toxics/none", null), 404, "toxic not found");
        assertError(call("PATCH", "/proxies/a/toxics/none", "{}"), 404, "toxic not found");
        assertEquals(204, call("DELETE", "/proxies/a/toxics/cut", null).status());
        assertError(call("DELETE", "/proxies/a/toxics/cut", null), 404, "toxic not found");
        assertEquals(1, json(call("GET", "/proxies/a/toxics", null)).size());
    }

    @Test
    void toxicsSurviveDisableAndReenable() throws Exception {
        create("a");
        call("POST", "/proxies/a/toxics", "{\"type\":\"timeout\"}");
        call("POST", "/proxies/a", "{\"enabled\":false}");
        call("POST", "/proxies/a", "{\"enabled\":true}");
        assertEquals(1, json(call("GET", "/proxies/a/toxics", null)).size());
    }

    @Test
    void resetEnablesEveryProxyAndRemovesEveryToxic() throws Exception {
        create("a");
        create("b");
        call("POST", "/proxies/a/toxics", "{\"type\":\"timeout\"}");
        call("POST", "/proxies/b/toxics", "{\"type\":\"latency\",\"stream\":\"upstream\"}");
        call("POST", "/proxies/b", "{\"enabled\":false}");
        ApiResponse r = call("POST", "/reset", null);
        assertEquals(204, r.status());
        JsonNode all = json(call("GET", "/proxies", null));
        for (String name : List.of("a", "b")) {
            assertEquals(true, all.get(name).get("enabled").asBoolean(), name);
            assertEquals(0, all.get(name).get("toxics").size(), name);
        }
    }

    @Test
    void populateCreatesKeepsAndReplaces() throws Exception {
        ApiResponse r = call("POST", "/populate", "[{\"name\":\"a\",\"listen\":\"127.0.0.1:0\",\"upstream\":\"x:1\"},"
                + "{\"name\":\"b\",\"listen\":\"127.0.0.1:0\",\"upstream\":\"x:2\",\"enabled\":false}]");
        assertEquals(201, r.status(), r.bodyText());
        JsonNode made = json(r).get("proxies");
        assertEquals(2, made.size());
        assertEquals(true, made.get(0).get("enabled").asBoolean());
        assertEquals(false, made.get(1).get("enabled").asBoolean());
        String aListen = made.get(0).get("listen").asText();
        call("POST", "/proxies/a/toxics", "{\"type\":\"timeout\"}");

        // Same listen and upstream: kept with its toxics. Changed upstream: replaced.
        ApiResponse again = call("POST", "/populate", "[{\"name\":\"a\",\"listen\":\"" + aListen
                + "\",\"upstream\":\"x:1\"},{\"name\":\"b\",\"listen\":\"127.0.0.1:0\",\"upstream\":\"x:3\"}]");
        assertEquals(201, again.status());
        assertEquals(1, json(call("GET", "/proxies/a", null)).get("toxics").size());
        assertEquals("x:3", json(call("GET", "/proxies/b", null)).get("upstream").asText());
        assertEquals(true, json(call("GET", "/proxies/b", null)).get("enabled").asBoolean());
    }

    @Test
    void populateChecksEveryProxyBeforeMakingAny() throws Exception {
        ApiResponse r = call("POST", "/populate", "[{\"name\":\"a\",\"upstream\":\"x:1\"},{\"name\":\"b\"}]");
        assertError(r, 400, "missing required field: upstream at proxy 2");
        assertEquals("{}", call("GET", "/proxies", null).bodyText());
        assertEquals(400, call("POST", "/populate", "{\"name\":\"a\"}").status());
    }

    @Test
    void populateReportsAFailureWithTheProxiesMadeSoFar() throws Exception {
        plane.taken.add("127.0.0.1:7");
        ApiResponse r = call("POST", "/populate", "[{\"name\":\"a\",\"upstream\":\"x:1\"},"
                + "{\"name\":\"b\",\"listen\":\"127.0.0.1:7\",\"upstream\":\"x:1\"}]");
        assertEquals(500, r.status());
        JsonNode body = json(r);
        assertEquals(500, body.get("status").asInt());
        assertTrue(body.get("error").asText().contains("Address already in use"));
        assertEquals(1, body.get("proxies").size());
    }

    @Test
    void versionRoutingAndBrowsers() throws Exception {
        ApiResponse v = call("GET", "/version", null);
        assertEquals(200, v.status());
        assertEquals(ToxiproxyApi.VERSION, json(v).get("version").asText());
        assertEquals(404, call("GET", "/nope", null).status());
        assertEquals(404, call("GET", "/proxies/a/b", null).status());
        assertEquals(405, call("PUT", "/proxies", "{}").status());
        assertEquals(405, call("GET", "/reset", null).status());
        assertEquals(403, api.handle("GET", "/proxies", new byte[0], "Mozilla/5.0").status());
    }

    @Test
    void namesArePercentDecodedAndQueriesIgnored() throws Exception {
        create("a b");
        assertEquals("a b", json(call("GET", "/proxies/a%20b?x=1", null)).get("name").asText());
        assertEquals(List.of("proxies", "a/b", "toxics"), ToxiproxyApi.segments("/proxies/a%2Fb/toxics"));
    }

    private static List<String> iterable(java.util.Iterator<String> it) {
        List<String> out = new ArrayList<>();
        it.forEachRemaining(out::add);
        return out;
    }
}
