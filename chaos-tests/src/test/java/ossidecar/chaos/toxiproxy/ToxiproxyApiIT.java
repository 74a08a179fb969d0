package ossidecar.chaos.toxiproxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import eu.rekawek.toxiproxy.Proxy;
import eu.rekawek.toxiproxy.ToxiproxyClient;
import eu.rekawek.toxiproxy.model.Toxic;
import eu.rekawek.toxiproxy.model.ToxicDirection;
import eu.rekawek.toxiproxy.model.toxic.Bandwidth;
import eu.rekawek.toxiproxy.model.toxic.Latency;
import eu.rekawek.toxiproxy.model.toxic.LimitData;
import eu.rekawek.toxiproxy.model.toxic.ResetPeer;
import eu.rekawek.toxiproxy.model.toxic.Slicer;
import eu.rekawek.toxiproxy.model.toxic.SlowClose;
import eu.rekawek.toxiproxy.model.toxic.Timeout;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Conformance of the HTTP API, driven by the official Toxiproxy Java client (raw HTTP only for
 * what the client does not expose). Runs against the server {@link ToxiproxyEndpoint} selects:
 * the embedded one, or a real Toxiproxy when one is configured.
 */
class ToxiproxyApiIT {
    private static final String PREFIX = "api-it-";
    private static final AtomicInteger SEQ = new AtomicInteger();

    private static ToxiproxyEndpoint toxiproxy;
    private static TestUpstream echo;

    @BeforeAll
    static void start() throws IOException {
        toxiproxy = ToxiproxyEndpoint.start();
        echo = TestUpstream.echo();
    }

    @AfterAll
    static void stop() throws IOException {
        echo.close();
        toxiproxy.close();
    }

    @AfterEach
    void deleteOurProxies() throws IOException {
        for (Proxy p : toxiproxy.getProxies()) {
            if (p.getName().startsWith(PREFIX)) {
                p.delete();
            }
        }
    }

    private static String name() {
        return PREFIX + SEQ.incrementAndGet();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static JsonNode json(String body) throws IOException {
        return ApiResponse.MAPPER.readTree(body);
    }

    private static void assertRefused(String listen) {
        assertThrows(ConnectException.class, () -> Net.connect(listen).close(), "connect to " + listen);
    }

    private static Set<String> proxyNames() throws IOException {
        return toxiproxy.getProxies().stream().map(Proxy::getName).collect(Collectors.toSet());
    }

    @Test
    void proxyLifecycleThroughTheJavaClient() throws Exception {
        String name = name();
        Proxy p = toxiproxy.createProxy(name, "127.0.0.1:0", echo.address());
        assertEquals(name, p.getName());
        assertTrue(p.isEnabled());
        assertEquals(echo.address(), p.getUpstream());
        assertTrue(p.getListen().startsWith("127.0.0.1:"), p.getListen());
        assertNotEquals("127.0.0.1:0", p.getListen(), "port 0 is reported as the real port");
        try (Socket s = Net.connect(p.getListen())) {
            Net.echoMillis(s, "hello");
        }

        assertTrue(proxyNames().contains(name));
        Proxy same = toxiproxy.getProxy(name);
        assertEquals(p.getListen(), same.getListen());
        assertEquals(p.getUpstream(), same.getUpstream());

        String oldListen = p.getListen();
        String newListen = "127.0.0.1:" + freePort();
        p.setListen(newListen);
        assertEquals(newListen, p.getListen());
        assertRefused(oldListen);
        try (Socket s = Net.connect(newListen)) {
            Net.echoMillis(s, "moved");
        }

        try (TestUpstream greeter = TestUpstream.sending(Net.ascii("hi from two"), false)) {
            p.setUpstream(greeter.address());
            assertEquals(greeter.address(), p.getUpstream());
            try (Socket s = Net.connect(p.getListen())) {
                assertEquals("hi from two", new String(Net.readExactly(s.getInputStream(), 11)));
            }
            p.setUpstream(echo.address());
        }

        p.disable();
        assertFalse(p.isEnabled());
        assertFalse(toxiproxy.getProxy(name).isEnabled());
        assertRefused(p.getListen());
        p.enable();
        assertTrue(p.isEnabled());
        assertEquals(newListen, p.getListen(), "re-enabling keeps the address");
        try (Socket s = Net.connect(p.getListen())) {
            Net.echoMillis(s, "back");
        }

        p.delete();
        assertFalse(proxyNames().contains(name));
        IOException gone = assertThrows(IOException.class, () -> toxiproxy.getProxy(name));
        assertEquals("[404] proxy not found", gone.getMessage());
        assertRefused(newListen);
    }

    @Test
    void createErrorsCarryToxiproxyStatusAndMessage() throws Exception {
        String name = name();
        toxiproxy.createProxy(name, "127.0.0.1:0", echo.address());
        IOException dup = assertThrows(IOException.class,
                () -> toxiproxy.createProxy(name, "127.0.0.1:0", echo.address()));
        assertEquals("[409] proxy already exists", dup.getMessage());
        IOException noName = assertThrows(IOException.class,
                () -> toxiproxy.createProxy("", "127.0.0.1:0", echo.address()));
        assertEquals("[400] missing required field: name", noName.getMessage());
        IOException noUpstream = assertThrows(IOException.class,
                () -> toxiproxy.createProxy(name(), "127.0.0.1:0", ""));
        assertEquals("[400] missing required field: upstream", noUpstream.getMessage());

        // Toxiproxy sends its JSON errors through Go's http.Error, which labels them plain text.
        Net.Http raw = Net.http(toxiproxy.url(), "POST", "/proxies", "{\"listen\":\"127.0.0.1:0\"}", null);
        assertEquals(400, raw.status());
        assertEquals("text/plain; charset=utf-8", raw.contentType());
        assertEquals("{\"error\":\"missing required field: name\",\"status\":400}\n", raw.body());
        JsonNode err = json(raw.body());
        assertEquals("missing required field: name", err.get("error").asText());
        assertEquals(400, err.get("status").asInt());

        Net.Http missing = Net.http(toxiproxy.url(), "GET", "/proxies/" + PREFIX + "none", null, null);
        assertEquals(404, missing.status());
        assertEquals("proxy not found", json(missing.body()).get("error").asText());
        Net.Http deleteMissing = Net.http(toxiproxy.url(), "DELETE", "/proxies/" + PREFIX + "none", null, null);
        assertEquals(404, deleteMissing.status());
        assertEquals(404, json(deleteMissing.body()).get("status").asInt());
    }

    @Test
    void bodiesAreJsonWhateverTheContentTypeAndPatchUpdates() throws Exception {
        String name = name();
        Net.Http created = Net.http(toxiproxy.url(), "POST", "/proxies",
                "{\"name\":\"" + name + "\",\"listen\":\"127.0.0.1:0\",\"upstream\":\"" + echo.address()
                        + "\",\"enabled\":false}", "text/plain");
        assertEquals(201, created.status(), created.body());
        JsonNode p = json(created.body());
        // Toxiproxy 2.8 also exports the proxy's logger, as an empty object.
        assertEquals(List.of("name", "listen", "upstream", "enabled", "Logger", "toxics"), fields(p));
        assertEquals(0, p.get("Logger").size());
        assertFalse(p.get("enabled").asBoolean());

        Net.Http patched = Net.http(toxiproxy.url(), "PATCH", "/proxies/" + name, "{\"enabled\":true}",
                "application/x-www-form-urlencoded");
        assertEquals(200, patched.status(), patched.body());
        JsonNode after = json(patched.body());
        assertTrue(after.get("enabled").asBoolean());
        assertEquals(echo.address(), after.get("upstream").asText());
        try (Socket s = Net.connect(after.get("listen").asText())) {
            Net.echoMillis(s, "patched");
        }

        Net.Http del = Net.http(toxiproxy.url(), "DELETE", "/proxies/" + name, null, null);
        assertEquals(204, del.status());
        assertEquals("", del.body());
    }

    @Test
    void toxicsCrudWithAttributeMerge() throws Exception {
        Proxy p = toxiproxy.createProxy(name(), "127.0.0.1:0", echo.address());
        Latency lat = p.toxics().latency("lat", ToxicDirection.DOWNSTREAM, 100);
        assertEquals("lat", lat.getName());
        assertEquals(ToxicDirection.DOWNSTREAM, lat.getStream());
        assertEquals(100, lat.getLatency());
        assertEquals(0, lat.getJitter());
        assertEquals(1.0f, lat.getToxicity());

        lat.setJitter(10);
        lat.setLatency(200);
        assertEquals(200, lat.getLatency());
        assertEquals(10, lat.getJitter(), "setting latency keeps jitter");
        Latency fresh = p.toxics().get("lat", Latency.class);
        assertEquals(200, fresh.getLatency());
        assertEquals(10, fresh.getJitter());
        lat.setToxicity(0.5f);
        assertEquals(0.5f, p.toxics().get("lat").getToxicity());
        assertEquals(200, p.toxics().get("lat", Latency.class).getLatency());

        Bandwidth bw = p.toxics().bandwidth("bw", ToxicDirection.UPSTREAM, 50);
        assertEquals(50, bw.getRate());
        SlowClose sc = p.toxics().slowClose("sc", ToxicDirection.DOWNSTREAM, 300);
        assertEquals(300, sc.getDelay());
        Timeout to = p.toxics().timeout("to", ToxicDirection.UPSTREAM, 0);
        assertEquals(0, to.getTimeout());
        Slicer sl = p.toxics().slicer("sl", ToxicDirection.DOWNSTREAM, 100, 5);
        assertEquals(0, sl.getSizeVariation(), "the client leaves size_variation out; the server echoes 0");
        sl.setSizeVariation(10);
        Slicer slFresh = p.toxics().get("sl", Slicer.class);
        assertEquals(100, slFresh.getAverageSize());
        assertEquals(10, slFresh.getSizeVariation());
        assertEquals(5, slFresh.getDelay());
        LimitData ld = p.toxics().limitData("ld", ToxicDirection.UPSTREAM, 1000);
        assertEquals(1000, ld.getBytes());
        ResetPeer rp = p.toxics().resetPeer("rp", ToxicDirection.DOWNSTREAM, 20);
        assertEquals(20, rp.getTimeout());

        List<? extends Toxic> all = p.toxics().getAll();
        assertEquals(Set.of("lat", "bw", "sc", "to", "sl", "ld", "rp"),
                all.stream().map(Toxic::getName).collect(Collectors.toSet()));
        assertEquals(7, toxiproxy.getProxy(p.getName()).toxics().getAll().size());

        IOException dup = assertThrows(IOException.class,
                () -> p.toxics().latency("lat", ToxicDirection.UPSTREAM, 1));
        assertEquals("[409] toxic already exists", dup.getMessage());

        lat.remove();
        IOException gone = assertThrows(IOException.class, () -> p.toxics().get("lat"));
        assertEquals("[404] toxic not found", gone.getMessage());
        assertThrows(IOException.class, lat::remove);
        assertEquals(6, p.toxics().getAll().size());
    }

    @Test
    void toxicDefaultsErrorsAndPatchThroughRawHttp() throws Exception {
        Proxy p = toxiproxy.createProxy(name(), "127.0.0.1:0", echo.address());
        String base = "/proxies/" + p.getName() + "/toxics";

        Net.Http created = Net.http(toxiproxy.url(), "POST", base, "{\"type\":\"latency\"}", null);
        assertEquals(200, created.status(), created.body());
        JsonNode t = json(created.body());
        assertEquals("latency_downstream", t.get("name").asText());
        assertEquals("downstream", t.get("stream").asText());
        assertEquals(1.0, t.get("toxicity").asDouble());
        assertEquals(0, t.get("attributes").get("latency").asLong());
        assertEquals(0, t.get("attributes").get("jitter").asLong());

        Net.Http patched = Net.http(toxiproxy.url(), "PATCH", base + "/latency_downstream",
                "{\"attributes\":{\"jitter\":7}}", null);
        assertEquals(200, patched.status());
        assertEquals(0, json(patched.body()).get("attributes").get("latency").asLong());
        assertEquals(7, json(patched.body()).get("attributes").get("jitter").asLong());

        Net.Http badType = Net.http(toxiproxy.url(), "POST", base, "{\"type\":\"melt\"}", null);
        assertEquals(400, badType.status());
        assertEquals("invalid toxic type", json(badType.body()).get("error").asText());
        Net.Http badStream = Net.http(toxiproxy.url(), "POST", base, "{\"type\":\"timeout\",\"stream\":\"up\"}", null);
        assertEquals(400, badStream.status());
        assertEquals("stream was invalid, can be either upstream or downstream",
                json(badStream.body()).get("error").asText());
        Net.Http noProxy = Net.http(toxiproxy.url(), "POST", "/proxies/" + PREFIX + "none/toxics",
                "{\"type\":\"timeout\"}", null);
        assertEquals(404, noProxy.status());
        assertEquals("proxy not found", json(noProxy.body()).get("error").asText());
        Net.Http noToxic = Net.http(toxiproxy.url(), "GET", base + "/none", null, null);
        assertEquals(404, noToxic.status());
        assertEquals("toxic not found", json(noToxic.body()).get("error").asText());

        Net.Http listed = Net.http(toxiproxy.url(), "GET", base, null, null);
        assertEquals(1, json(listed.body()).size());
        Net.Http deleted = Net.http(toxiproxy.url(), "DELETE", base + "/latency_downstream", null, null);
        assertEquals(204, deleted.status());
        Net.Http deletedAgain = Net.http(toxiproxy.url(), "DELETE", base + "/latency_downstream", null, null);
        assertEquals(404, deletedAgain.status());
    }

    @Test
    void resetEnablesEveryProxyAndRemovesEveryToxic() throws Exception {
        // A client of its own: the Java client's reset() re-reads every proxy it has seen.
        URI uri = URI.create(toxiproxy.url());
        ToxiproxyClient client = new ToxiproxyClient(uri.getHost(), uri.getPort());
        Proxy a = client.createProxy(name(), "127.0.0.1:0", echo.address());
        Proxy b = client.createProxy(name(), "127.0.0.1:0", echo.address());
        a.toxics().timeout("cut", ToxicDirection.DOWNSTREAM, 0);
        b.toxics().latency("slow", ToxicDirection.UPSTREAM, 1000);
        b.disable();

        client.reset();

        for (Proxy p : List.of(a, b)) {
            Proxy now = client.getProxy(p.getName());
            assertTrue(now.isEnabled(), p.getName());
            assertEquals(0, now.toxics().getAll().size(), p.getName());
            assertTrue(p.isEnabled(), "the client refreshed its proxy objects");
        }
        try (Socket s = Net.connect(a.getListen())) {
            Net.echoMillis(s, "after reset");
        }
        Net.Http raw = Net.http(toxiproxy.url(), "POST", "/reset", null, null);
        assertEquals(204, raw.status());
    }

    @Test
    void versionAnswers() throws Exception {
        String v = toxiproxy.version();
        assertFalse(v.isBlank());
        Net.Http raw = Net.http(toxiproxy.url(), "GET", "/version", null, null);
        assertEquals(200, raw.status());
        if (raw.body().trim().startsWith("{")) {
            assertFalse(json(raw.body()).get("version").asText().isBlank());
        }
    }

    @Test
    void populateCreatesProxiesFromAnArray() throws Exception {
        String a = name();
        String b = name();
        String body = "[{\"name\":\"" + a + "\",\"listen\":\"127.0.0.1:0\",\"upstream\":\"" + echo.address() + "\"},"
                + "{\"name\":\"" + b + "\",\"listen\":\"127.0.0.1:0\",\"upstream\":\"" + echo.address()
                + "\",\"enabled\":false}]";
        Net.Http r = Net.http(toxiproxy.url(), "POST", "/populate", body, null);
        assertEquals(201, r.status(), r.body());
        JsonNode proxies = json(r.body()).get("proxies");
        assertEquals(2, proxies.size());
        assertTrue(proxyNames().containsAll(Set.of(a, b)));
        assertFalse(toxiproxy.getProxy(b).isEnabled());
        try (Socket s = Net.connect(toxiproxy.getProxy(a).getListen())) {
            Net.echoMillis(s, "populated");
        }

        Net.Http bad = Net.http(toxiproxy.url(), "POST", "/populate",
                "[{\"name\":\"" + name() + "\",\"upstream\":\"" + echo.address() + "\"},{\"name\":\"x\"}]", null);
        assertEquals(400, bad.status());
        assertEquals("application/json", bad.contentType(), "populate writes its errors itself");
        assertEquals("missing required field: upstream at proxy 2", json(bad.body()).get("error").asText());
        assertTrue(json(bad.body()).get("proxies").isNull(), bad.body());

        Net.Http none = Net.http(toxiproxy.url(), "POST", "/populate", "[]", null);
        assertEquals(201, none.status());
        assertEquals("{\"proxies\":null}", none.body());
    }

    @Test
    void unknownRoutesAndMethodsAnswerAsTheRouterDoes() throws Exception {
        for (String path : List.of("/nope", "/proxies/", "/proxies/" + PREFIX + "x/toxics/y/z")) {
            Net.Http r = Net.http(toxiproxy.url(), "GET", path, null, null);
            assertEquals(404, r.status(), path);
            assertEquals("text/plain; charset=utf-8", r.contentType(), path);
            assertEquals("404 page not found\n", r.body(), path);
        }
        for (String[] mp : new String[][] {{"PUT", "/proxies"}, {"DELETE", "/version"}, {"GET", "/populate"},
                {"GET", "/reset"}}) {
            Net.Http r = Net.http(toxiproxy.url(), mp[0], mp[1], null, null);
            assertEquals(405, r.status(), mp[0] + " " + mp[1]);
            assertEquals("", r.contentType(), mp[0] + " " + mp[1]);
            assertEquals("", r.body(), mp[0] + " " + mp[1]);
        }
        Net.Http v = Net.http(toxiproxy.url(), "GET", "/version", null, null);
        assertEquals("application/json;charset=utf-8", v.contentType());
        assertTrue(v.body().matches("\\{\"version\": \"[^\"]+\"\\}\n"), v.body());
    }

    @Test
    void streamNamesMatchIgnoringCaseAndAreKeptAsWritten() throws Exception {
        Proxy p = toxiproxy.createProxy(name(), "127.0.0.1:0", echo.address());
        String base = "/proxies/" + p.getName() + "/toxics";
        Net.Http up = Net.http(toxiproxy.url(), "POST", base,
                "{\"type\":\"latency\",\"stream\":\"UPSTREAM\",\"attributes\":{\"latency\":300}}", null);
        assertEquals(200, up.status(), up.body());
        assertEquals("UPSTREAM", json(up.body()).get("stream").asText());
        assertEquals("latency_UPSTREAM", json(up.body()).get("name").asText());
        // Go's decoder matches keys ignoring case, attributes included.
        Net.Http keys = Net.http(toxiproxy.url(), "POST", base,
                "{\"Type\":\"timeout\",\"Name\":\"T\",\"Attributes\":{\"Timeout\":7}}", null);
        assertEquals(200, keys.status(), keys.body());
        assertEquals(7, json(keys.body()).get("attributes").get("timeout").asLong());
        p.toxics().get("T").remove();
        try (Socket s = Net.connect(p.getListen())) {
            long rtt = Net.echoMillis(s, "upper");
            assertTrue(rtt >= 300, "the UPSTREAM toxic acts on the upstream: " + rtt + " ms");
        }
    }

    private static List<String> fields(JsonNode n) {
        List<String> out = new java.util.ArrayList<>();
        n.fieldNames().forEachRemaining(out::add);
        return out;
    }
}
