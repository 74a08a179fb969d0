package ossidecar.chaos.toxiproxy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Toxiproxy's HTTP API ({@code api.go}, {@code proxy_collection.go}) as a function from
 * request to response, over a {@link DataPlane}. Not thread-safe: the server calls it from
 * one control thread only, which also serialises every change as Toxiproxy's collection lock
 * does. Routing is {@link ApiRoute}'s, body decoding {@link GoJson}'s, answer shapes
 * {@link ApiResponse}'s; the deliberate differences from Toxiproxy 2.8 are listed in
 * {@code docs/toxiproxy.md}.
 */
final class ToxiproxyApi {
    private static final Logger LOG = LoggerFactory.getLogger(ToxiproxyApi.class);

    /** Reported by {@code GET /version}, in the JSON shape of current Toxiproxy servers. */
    static final String VERSION = "2.x-ossidecar-embedded";
    /**
     * Where a proxy without {@code listen} binds. Toxiproxy binds every interface then
     * ({@code net.Listen("tcp", "")}); the harness stays on loopback, deliberately. The proxy
     * still reports {@code listen: ""} until it is started, as Toxiproxy does.
     */
    static final String DEFAULT_LISTEN = "127.0.0.1:0";
    /** Go's name of the proxy struct, in type errors of its fields. */
    private static final String PROXY = "Proxy";
    /** The element type {@code PopulateJson} decodes, as Go prints it. */
    private static final String POPULATE_ELEMENT =
            "struct { toxiproxy.Proxy; Enabled *bool \"json:\\\"enabled\\\"\" }";

    private final DataPlane dataPlane;
    private final Map<String, ProxyEntry> proxies = new TreeMap<>();

    ToxiproxyApi(DataPlane dataPlane) {
        this.dataPlane = dataPlane;
    }

    /**
     * Answers one request. {@code rawUri} is the request target: its path is percent-decoded,
     * a path that is not clean is redirected as mux does, the query is ignored; the body is read
     * as JSON whatever its content type.
     */
    ApiResponse handle(String method, String rawUri, byte[] body, String userAgent) {
        String path = ApiRoute.decodePath(rawUri);
        if (path == null) {
            return new ApiResponse(400, ApiResponse.TEXT, "400 Bad Request".getBytes(StandardCharsets.UTF_8));
        }
        String clean = ApiRoute.cleanPath(path);
        if (!clean.equals(path)) {
            String query = ApiRoute.rawQuery(rawUri);
            return ApiResponse.movedTo(ApiRoute.escapePath(clean) + (query == null ? "" : "?" + query));
        }
        ApiRoute route = ApiRoute.match(path);
        if (route == null) {
            return ApiResponse.text(404, "404 page not found");
        }
        if (!route.kind().allows(method)) {
            return ApiResponse.empty(405);
        }
        return answer(method, route, body, userAgent, rawUri).asRouted();
    }

    private ApiResponse answer(String method, ApiRoute route, byte[] body, String userAgent, String rawUri) {
        // Toxiproxy refuses browsers so that a web page cannot drive it (stopBrowsersMiddleware);
        // mux runs that middleware only for a matched route and method.
        if (userAgent != null && userAgent.startsWith("Mozilla/")) {
            return ApiResponse.text(403, "User agent not allowed");
        }
        try {
            return dispatch(method, route, body);
        } catch (ApiException e) {
            return ApiResponse.error(e);
        } catch (RuntimeException e) {
            LOG.warn("toxiproxy: {} {} failed", method, rawUri, e);
            return ApiResponse.error(new ApiException(500, String.valueOf(e.getMessage())));
        }
    }

    /** Stops every proxy (server shutdown). */
    void stopAll() {
        for (ProxyEntry p : proxies.values()) {
            p.stop();
        }
        proxies.clear();
    }

    private ApiResponse dispatch(String method, ApiRoute route, byte[] body) throws ApiException {
        String proxy = route.proxy();
        return switch (route.kind()) {
            case VERSION -> version();
            case RESET -> reset();
            case POPULATE -> populate(body);
            case PROXIES -> method.equals("GET") ? proxyIndex() : proxyCreate(body);
            case PROXY -> switch (method) {
                case "GET" -> ApiResponse.json(200, find(proxy).toJson());
                case "DELETE" -> proxyDelete(proxy);
                default -> proxyUpdate(proxy, body);
            };
            case TOXICS -> method.equals("GET") ? toxicIndex(proxy) : toxicCreate(proxy, body);
            case TOXIC -> switch (method) {
                case "GET" -> ApiResponse.json(200, find(proxy).toxics.get(route.toxic()).toJson());
                case "DELETE" -> toxicDelete(proxy, route.toxic());
                default -> toxicUpdate(proxy, route.toxic(), body);
            };
        };
    }

    /** {@code {"version": "..."}} and a newline, written by hand in Toxiproxy, with its own content type. */
    private static ApiResponse version() {
        byte[] text = ("{\"version\": \"" + VERSION + "\"}\n").getBytes(StandardCharsets.UTF_8);
        return new ApiResponse(200, "application/json;charset=utf-8", text);
    }

    private ApiResponse proxyIndex() {
        ObjectNode all = JsonNodeFactory.instance.objectNode();
        proxies.forEach((name, p) -> all.set(name, p.toJson()));
        return ApiResponse.json(200, all);
    }

    private ApiResponse proxyCreate(byte[] body) throws ApiException {
        JsonNode in = GoJson.object(parse(body), "toxiproxy.Proxy");
        String name = GoJson.string(in, "name", "", PROXY);
        String listen = GoJson.string(in, "listen", "", PROXY);
        String upstream = GoJson.string(in, "upstream", "", PROXY);
        boolean enabled = GoJson.bool(in, "enabled", true, PROXY);
        if (name.isEmpty()) {
            throw ApiException.missingField("name");
        }
        if (upstream.isEmpty()) {
            throw ApiException.missingField("upstream");
        }
        if (proxies.containsKey(name)) {
            throw new ApiException(409, ApiException.PROXY_ALREADY_EXISTS);
        }
        ProxyEntry p = new ProxyEntry(name, listen, upstream);
        if (enabled) {
            p.start();
        }
        proxies.put(name, p);
        return ApiResponse.json(201, p.toJson());
    }

    /**
     * {@code POST /populate}: a JSON array of proxies. All are checked before any is made; a proxy
     * whose name exists is kept when its listen and upstream are unchanged, else stopped and
     * replaced ({@code ProxyCollection.AddOrReplace}). Answers 201 {@code {"proxies": [...]}}, or
     * the first error's status with {@code error}, {@code status} and the proxies made until
     * then, always labelled JSON. No proxies at all is {@code "proxies": null}, as Go encodes an
     * empty slice that was never allocated.
     */
    private ApiResponse populate(byte[] body) {
        ArrayNode made = JsonNodeFactory.instance.arrayNode();
        ApiException failure = null;
        try {
            populateInto(body, made);
        } catch (ApiException e) {
            failure = e;
        }
        ObjectNode out = failure == null ? JsonNodeFactory.instance.objectNode() : failure.toJson();
        if (made.isEmpty()) {
            out.putNull("proxies");
        } else {
            out.set("proxies", made);
        }
        return ApiResponse.json(failure == null ? 201 : failure.status(), out);
    }

    private void populateInto(byte[] body, ArrayNode made) throws ApiException {
        JsonNode in = parse(body);
        if (in.isNull()) {
            return;
        }
        if (!in.isArray()) {
            throw ApiException.badBody("json: cannot unmarshal " + GoJson.kind(in, false) + " into Go value of type []"
                    + POPULATE_ELEMENT);
        }
        record Input(String name, String listen, String upstream, boolean enabled) {
        }
        List<Input> inputs = new ArrayList<>();
        for (JsonNode element : in) {
            // The elements are an anonymous struct embedding Proxy: Go names its fields ".name".
            JsonNode p = GoJson.object(element, POPULATE_ELEMENT);
            inputs.add(new Input(GoJson.string(p, "name", "", ""), GoJson.string(p, "listen", "", ""),
                    GoJson.string(p, "upstream", "", ""), GoJson.bool(p, "enabled", true, "")));
        }
        for (int i = 0; i < inputs.size(); i++) {
            if (inputs.get(i).name().isEmpty()) {
                throw ApiException.missingField("name at proxy " + (i + 1));
            }
            if (inputs.get(i).upstream().isEmpty()) {
                throw ApiException.missingField("upstream at proxy " + (i + 1));
            }
        }
        for (Input input : inputs) {
            ProxyEntry existing = proxies.get(input.name());
            if (existing != null && existing.listen.equals(input.listen())
                    && existing.upstream.equals(input.upstream())) {
                made.add(existing.toJson());
                continue;
            }
            if (existing != null) {
                // Stopped first; if the new proxy cannot start, Toxiproxy keeps the stopped one.
                existing.stop();
            }
            ProxyEntry p = new ProxyEntry(input.name(), input.listen(), input.upstream());
            if (input.enabled()) {
                p.start();
            }
            proxies.put(p.name, p);
            made.add(p.toJson());
        }
    }

    private ApiResponse proxyUpdate(String name, byte[] body) throws ApiException {
        ProxyEntry p = find(name);
        JsonNode in = GoJson.object(parse(body), "toxiproxy.Proxy");
        String listen = GoJson.string(in, "listen", p.listen, PROXY);
        String upstream = GoJson.string(in, "upstream", p.upstream, PROXY);
        boolean enabled = GoJson.bool(in, "enabled", p.enabled(), PROXY);
        // Proxy.Update: a new address restarts the proxy; then enabled is applied.
        if (!listen.equals(p.listen) || !upstream.equals(p.upstream)) {
            p.stop();
            p.listen = listen;
            p.upstream = upstream;
        }
        if (enabled != p.enabled()) {
            if (enabled) {
                p.start();
            } else {
                p.stop();
            }
        }
        return ApiResponse.json(200, p.toJson());
    }

    private ApiResponse proxyDelete(String name) throws ApiException {
        ProxyEntry p = find(name);
        p.stop();
        proxies.remove(name);
        return ApiResponse.noContent();
    }

    private ApiResponse toxicIndex(String proxy) throws ApiException {
        ArrayNode arr = JsonNodeFactory.instance.arrayNode();
        for (Toxic t : find(proxy).toxics.list()) {
            arr.add(t.toJson());
        }
        return ApiResponse.json(200, arr);
    }

    private ApiResponse toxicCreate(String proxy, byte[] body) throws ApiException {
        ProxyEntry p = find(proxy);
        Toxic t = Toxic.fromCreateJson(parse(body), p.toxics::contains);
        p.toxics.add(t);
        return ApiResponse.json(200, t.toJson());
    }

    private ApiResponse toxicUpdate(String proxy, String toxic, byte[] body) throws ApiException {
        ProxyEntry p = find(proxy);
        Toxic current = p.toxics.get(toxic);
        Toxic updated = current.withUpdateJson(parse(body));
        p.toxics.update(updated);
        return ApiResponse.json(200, updated.toJson());
    }

    private ApiResponse toxicDelete(String proxy, String toxic) throws ApiException {
        find(proxy).toxics.remove(toxic);
        return ApiResponse.noContent();
    }

    /** {@code POST /reset}: every proxy enabled, every toxic removed. */
    private ApiResponse reset() throws ApiException {
        for (ProxyEntry p : proxies.values()) {
            if (!p.enabled()) {
                p.start();
            }
            p.toxics.clear();
        }
        return ApiResponse.noContent();
    }

    private ProxyEntry find(String name) throws ApiException {
        ProxyEntry p = proxies.get(name);
        if (p == null) {
            throw ApiException.proxyNotFound();
        }
        return p;
    }

    /** The body as JSON ({@code null} included); Go's decoder reports an empty body as EOF. */
    static JsonNode parse(byte[] body) throws ApiException {
        if (body == null || new String(body, StandardCharsets.UTF_8).isBlank()) {
            throw ApiException.badBody("EOF");
        }
        try {
            JsonNode n = ApiResponse.MAPPER.readTree(body);
            if (n == null || n.isMissingNode()) {
                throw ApiException.badBody("EOF");
            }
            return n;
        } catch (JsonProcessingException e) {
            throw ApiException.badBody(e.getOriginalMessage());
        } catch (IOException e) {
            throw ApiException.badBody(e.getMessage());
        }
    }

    /**
     * Go's text for a failed {@code net.Listen}: an address that does not parse or resolve has
     * no address part ({@code listen tcp: address 99999: invalid port}), a failed bind names the
     * address and the data plane's message ({@code listen tcp 127.0.0.1:80: bind: address
     * already in use}).
     */
    static String listenError(String address, Exception e) {
        if (e instanceof IllegalArgumentException) {
            return "listen tcp: " + e.getMessage();
        }
        if (e instanceof UnknownHostException) {
            String host = address.substring(0, Math.max(0, address.lastIndexOf(':')));
            return "listen tcp: lookup " + host + ": no such host";
        }
        return "listen tcp " + address + ": " + e.getMessage();
    }

    /** One proxy: its address, whether it listens, and its toxics (kept across restarts). */
    private final class ProxyEntry {
        final String name;
        String listen;
        String upstream;
        final ToxicChain toxics = new ToxicChain();
        DataPlane.Bound bound;

        ProxyEntry(String name, String listen, String upstream) {
            this.name = name;
            this.listen = listen;
            this.upstream = upstream;
        }

        boolean enabled() {
            return bound != null;
        }

        void start() throws ApiException {
            if (bound != null) {
                return;
            }
            String address = listen.isEmpty() ? DEFAULT_LISTEN : listen;
            try {
                bound = dataPlane.bind(name, address, upstream, toxics);
            } catch (Exception e) {
                LOG.warn("toxiproxy: proxy {} cannot listen on {}: {}", name, address, e.toString());
                throw new ApiException(500, listenError(address, e));
            }
            listen = bound.address();
            LOG.info("toxiproxy: proxy {} listening on {} for {}", name, listen, upstream);
        }

        void stop() {
            if (bound != null) {
                bound.close();
                bound = null;
                LOG.info("toxiproxy: proxy {} on {} stopped", name, listen);
            }
        }

        /**
         * Toxiproxy 2.8's fields and order: name, listen, upstream, enabled, Logger, toxics. The
         * {@code Logger} is the proxy's zerolog logger, exported by accident and encoded as an
         * empty object; clients ignore it, a strict schema would not.
         */
        ObjectNode toJson() {
            ObjectNode n = JsonNodeFactory.instance.objectNode();
            n.put("name", name);
            n.put("listen", listen);
            n.put("upstream", upstream);
            n.put("enabled", enabled());
            n.putObject("Logger");
            ArrayNode arr = n.putArray("toxics");
            for (Toxic t : toxics.list()) {
                arr.add(t.toJson());
            }
            return n;
        }
    }
}
