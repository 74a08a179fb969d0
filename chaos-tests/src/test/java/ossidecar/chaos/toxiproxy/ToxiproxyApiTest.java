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

    /** Binds nothing (but parses the address); hands out ports from 20000 for port 0, records what happened. */
    private static final class FakeDataPlane implements DataPlane {
        final List<String> events = new ArrayList<>();
        final Set<String> taken = new java.util.HashSet<>();
        int nextPort = 20000;

        @Override
        public Bound bind(String proxyName, String listen, String upstream, ToxicChain toxics) throws Exception {
            HostPort.resolve(listen); // refuses what the Netty data plane refuses before binding
            if (taken.contains(listen)) {
                throw new java.io.IOException("bind: address already in use");
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

    /** Toxiproxy's apiError: JSON and a newline through http.Error, so labelled plain text. */
    private static void assertError(ApiResponse r, int status, String message) throws Exception {
        assertEquals(status, r.status(), r.bodyText());
        assertEquals("text/plain; charset=utf-8", r.contentType());
        assertTrue(r.nosniff());
        assertEquals("{\"error\":\"" + message + "\",\"status\":" + status + "}\n", r.bodyText());
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
        assertEquals("application/json", r.contentType());
        assertEquals("{\"name\":\"a\",\"listen\":\"127.0.0.1:20000\",\"upstream\":\"127.0.0.1:9\",\"enabled\":true,"
                + "\"Logger\":{},\"toxics\":[]}", r.bodyText());
        assertEquals(List.of("bind a 127.0.0.1:20000 127.0.0.1:9"), plane.events);
    }

    @Test
    void withoutListenAProxyReportsNoneUntilItBindsLoopback() throws Exception {
        JsonNode p = json(call("POST", "/proxies", "{\"name\":\"a\",\"upstream\":\"x:1\",\"enabled\":false}"));
        assertEquals("", p.get("listen").asText(), "Toxiproxy keeps the empty listen of a stopped proxy");
        assertEquals(false, p.get("enabled").asBoolean());
        assertEquals(List.of(), plane.events);
        JsonNode started = json(call("PATCH", "/proxies/a", "{\"enabled\":true}"));
        // Toxiproxy would bind every interface here; the harness binds loopback (documented).
        assertEquals(List.of("bind a 127.0.0.1:20000 x:1"), plane.events);
        assertEquals("127.0.0.1:20000", started.get("listen").asText());
    }

    @Test
    void bodiesDecodeAsGoDoesKeysIgnoringCaseAndNullAsNothing() throws Exception {
        ApiResponse r = call("POST", "/proxies", "{\"NAME\":\"a\",\"Listen\":\"127.0.0.1:0\",\"upStream\":\"x:1\"}");
        assertEquals(201, r.status(), r.bodyText());
        assertEquals("a", json(r).get("name").asText());
        assertEquals("x:1", json(r).get("upstream").asText());
        JsonNode same = json(call("PATCH", "/proxies/a", "null"));
        assertEquals(true, same.get("enabled").asBoolean());
        assertEquals("x:1", json(call("PATCH", "/proxies/a", "{\"upstream\":null}")).get("upstream").asText());
        assertError(call("POST", "/proxies", "null"), 400, "missing required field: name");
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
        assertError(call("POST", "/proxies", "{\"name\":\"c\",\"upstream\":\"x:1\",\"enabled\":\"yes\"}"), 400,
                "bad request body: json: cannot unmarshal string into Go struct field Proxy.enabled of type bool");
        assertError(call("POST", "/proxies", "{\"name\":1}"), 400,
                "bad request body: json: cannot unmarshal number into Go struct field Proxy.name of type string");
        assertError(call("POST", "/proxies", "[1]"), 400,
                "bad request body: json: cannot unmarshal array into Go value of type toxiproxy.Proxy");
    }

    @Test
    void bindFailureIs500AndLeavesNoProxy() throws Exception {
        plane.taken.add("127.0.0.1:7");
        ApiResponse r = call("POST", "/proxies", "{\"name\":\"a\",\"listen\":\"127.0.0.1:7\",\"upstream\":\"x:1\"}");
        assertError(r, 500, "listen tcp 127.0.0.1:7: bind: address already in use");
        assertEquals("{}", call("GET", "/proxies", null).bodyText());
        assertError(call("POST", "/proxies", "{\"name\":\"b\",\"listen\":\"127.0.0.1:99999\",\"upstream\":\"x:1\"}"),
                500, "listen tcp: address 99999: invalid port");
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
        // Populate writes its errors itself: JSON, labelled so, with the (no) proxies made.
        assertEquals(400, r.status());
        assertEquals("application/json", r.contentType());
        assertEquals("{\"error\":\"missing required field: upstream at proxy 2\",\"status\":400,\"proxies\":null}",
                r.bodyText());
        assertEquals("{}", call("GET", "/proxies", null).bodyText());
        ApiResponse object = call("POST", "/populate", "{\"name\":\"a\"}");
        assertEquals(400, object.status());
        assertEquals("bad request body: json: cannot unmarshal object into Go value of type []struct { "
                + "toxiproxy.Proxy; Enabled *bool \"json:\\\"enabled\\\"\" }", json(object).get("error").asText());
        assertEquals("{\"error\":\"bad request body: EOF\",\"status\":400,\"proxies\":null}",
                call("POST", "/populate", "").bodyText());
        assertEquals("missing required field: name at proxy 1",
                json(call("POST", "/populate", "[null]")).get("error").asText());
        assertEquals("bad request body: json: cannot unmarshal number into Go struct field .name of type string",
                json(call("POST", "/populate", "[{\"name\":1}]")).get("error").asText());
    }

    @Test
    void populateWithNothingAnswersNullProxies() throws Exception {
        for (String body : List.of("[]", "null")) {
            ApiResponse r = call("POST", "/populate", body);
            assertEquals(201, r.status(), body);
            assertEquals("application/json", r.contentType());
            assertEquals("{\"proxies\":null}", r.bodyText(), body);
        }
    }

    @Test
    void populateKeepsTheStoppedProxyWhenItsReplacementCannotStart() throws Exception {
        create("a");
        plane.taken.add("127.0.0.1:7");
        ApiResponse r = call("POST", "/populate", "[{\"name\":\"a\",\"listen\":\"127.0.0.1:7\",\"upstream\":\"x:1\"}]");
        assertEquals(500, r.status());
        JsonNode kept = json(call("GET", "/proxies/a", null));
        assertEquals(false, kept.get("enabled").asBoolean());
        assertEquals("127.0.0.1:9", kept.get("upstream").asText());
    }

    @Test
    void populateReportsAFailureWithTheProxiesMadeSoFar() throws Exception {
        plane.taken.add("127.0.0.1:7");
        ApiResponse r = call("POST", "/populate", "[{\"name\":\"a\",\"upstream\":\"x:1\"},"
                + "{\"name\":\"b\",\"listen\":\"127.0.0.1:7\",\"upstream\":\"x:1\"}]");
        assertEquals(500, r.status());
        JsonNode body = json(r);
        assertEquals(500, body.get("status").asInt());
        assertEquals("listen tcp 127.0.0.1:7: bind: address already in use", body.get("error").asText());
        assertEquals(1, body.get("proxies").size());
        assertEquals("application/json", r.contentType());
    }

    @Test
    void versionRoutingAndBrowsers() throws Exception {
        ApiResponse v = call("GET", "/version", null);
        assertEquals(200, v.status());
        assertEquals("application/json;charset=utf-8", v.contentType());
        assertEquals("{\"version\": \"" + ToxiproxyApi.VERSION + "\"}\n", v.bodyText());
        for (String path : List.of("/nope", "/proxies/a/b", "/proxies/", "/", "/metrics")) {
            ApiResponse r = call("GET", path, null);
            assertEquals(404, r.status(), path);
            assertEquals("text/plain; charset=utf-8", r.contentType(), path);
            assertEquals("404 page not found\n", r.bodyText(), path);
        }
        for (String[] mp : new String[][] {{"PUT", "/proxies"}, {"GET", "/reset"}, {"HEAD", "/version"},
                {"GET", "/populate"}, {"PUT", "/proxies/a/toxics/b"}}) {
            ApiResponse r = call(mp[0], mp[1], "{}");
            assertEquals(405, r.status(), mp[0] + " " + mp[1]);
            assertEquals(null, r.contentType());
            assertEquals(0, r.body().length);
        }
        ApiResponse browser = api.handle("GET", "/proxies", new byte[0], "Mozilla/5.0");
        assertEquals(403, browser.status());
        assertEquals("User agent not allowed\n", browser.bodyText());
        assertTrue(browser.routed(), "Toxiproxy's request-id middleware runs before the browser check");
        assertEquals(false, call("GET", "/nope", null).routed());
        assertEquals(false, call("PUT", "/proxies", null).routed());
        assertTrue(call("GET", "/proxies/none", null).routed());
        // The browser check runs only once a route and method matched.
        assertEquals(404, api.handle("GET", "/nope", new byte[0], "Mozilla/5.0").status());
        assertEquals(405, api.handle("PUT", "/version", new byte[0], "Mozilla/5.0").status());
    }

    @Test
    void pathsThatAreNotCleanAreRedirected() {
        ApiResponse r = call("GET", "//proxies?x=1", null);
        assertEquals(301, r.status());
        assertEquals("/proxies?x=1", r.location());
        assertEquals(0, r.body().length);
        assertEquals("/version", call("GET", "/proxies/../version", null).location());
        assertEquals("/proxies/a%20b/", ApiRoute.escapePath(ApiRoute.cleanPath("/proxies/./a b//")));
        assertEquals(400, call("GET", "/proxies/%zz", null).status());
    }

    @Test
    void pathsArePercentDecodedBeforeRoutingAndQueriesIgnored() throws Exception {
        create("a b");
        create("c+d");
        assertEquals("a b", json(call("GET", "/proxies/a%20b?x=1", null)).get("name").asText());
        assertEquals("c+d", json(call("GET", "/proxies/c+d", null)).get("name").asText(), "+ is no space in a path");
        // An escaped slash is a slash once decoded, as in Go's URL.Path: no route has it.
        assertEquals(null, ApiRoute.match(ApiRoute.decodePath("/proxies/a%2Fb")));
        assertEquals(new ApiRoute(ApiRoute.Kind.TOXIC, "a", "b"), ApiRoute.match("/proxies/a/toxics/b"));
    }

    @Test
    void streamsAnyCaseAreKeptAsGivenAndDuplicatesBeatAttributeErrors() throws Exception {
        create("a");
        ApiResponse up = call("POST", "/proxies/a/toxics", "{\"type\":\"latency\",\"stream\":\"UPSTREAM\"}");
        assertEquals(200, up.status(), up.bodyText());
        assertEquals("latency_UPSTREAM", json(up).get("name").asText());
        assertEquals("UPSTREAM", json(up).get("stream").asText());
        // Listed in the upstream chain, before a downstream toxic added earlier would be.
        call("POST", "/proxies/a/toxics", "{\"type\":\"timeout\",\"stream\":\"Downstream\"}");
        JsonNode list = json(call("GET", "/proxies/a/toxics", null));
        assertEquals("latency_UPSTREAM", list.get(0).get("name").asText());
        assertEquals("timeout_Downstream", list.get(1).get("name").asText());
        assertError(call("POST", "/proxies/a/toxics",
                "{\"type\":\"latency\",\"stream\":\"upstream\",\"name\":\"latency_UPSTREAM\",\"attributes\":{\"latency\":\"x\"}}"),
                409, "toxic already exists");
    }

    private static List<String> iterable(java.util.Iterator<String> it) {
        List<String> out = new ArrayList<>();
        it.forEachRemaining(out::add);
        return out;
    }
}
