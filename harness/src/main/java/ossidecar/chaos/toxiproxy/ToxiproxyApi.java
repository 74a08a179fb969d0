package ossidecar.chaos.toxiproxy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.io.IOException;
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
 * does.
 */
final class ToxiproxyApi {
    private static final Logger LOG = LoggerFactory.getLogger(ToxiproxyApi.class);

    /** Reported by {@code GET /version}, in the JSON shape of current Toxiproxy servers. */
    static final String VERSION = "2.x-ossidecar-embedded";
    /** Toxiproxy listens on all interfaces when {@code listen} is empty; the harness stays on loopback. */
    static final String DEFAULT_LISTEN = "127.0.0.1:0";

    private final DataPlane dataPlane;
    private final Map<String, ProxyEntry> proxies = new TreeMap<>();

    ToxiproxyApi(DataPlane dataPlane) {
        this.dataPlane = dataPlane;
    }

    /**
     * Answers one request. {@code rawUri} may carry a query (ignored) and percent-escapes; the
     * body is read as JSON whatever its content type.
     */
    ApiResponse handle(String method, String rawUri, byte[] body, String userAgent) {
        // Toxiproxy refuses browsers so that a web page cannot drive it (stopBrowsersMiddleware).
        if (userAgent != null && userAgent.startsWith("Mozilla/")) {
            return ApiResponse.text(403, "User agent not allowed\n");
        }
        try {
            return route(method, segments(rawUri), body);
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

    private ApiResponse route(String method, List<String> seg, byte[] body) throws ApiException {
        int n = seg.size();
        if (n == 1 && seg.get(0).equals("version")) {
            requireMethod(method, "GET");
            ObjectNode v = JsonNodeFactory.instance.objectNode().put("version", VERSION);
            return ApiResponse.json(200, v);
        }
        if (n == 1 && seg.get(0).equals("reset")) {
            requireMethod(method, "POST");
            return reset();
        }
        if (n == 1 && seg.get(0).equals("populate")) {
            requireMethod(method, "POST");
            return populate(body);
        }
        if (n >= 1 && seg.get(0).equals("proxies")) {
            if (n == 1) {
                return switch (method) {
                    case "GET" -> proxyIndex();
                    case "POST" -> proxyCreate(body);
                    default -> throw methodNotAllowed();
                };
            }
            String proxy = seg.get(1);
            if (n == 2) {
                return switch (method) {
                    case "GET" -> ApiResponse.json(200, find(proxy).toJson());
                    case "POST", "PATCH" -> proxyUpdate(proxy, body);
                    case "DELETE" -> proxyDelete(proxy);
                    default -> throw methodNotAllowed();
                };
            }
            if (seg.get(2).equals("toxics")) {
                if (n == 3) {
                    return switch (method) {
                        case "GET" -> toxicIndex(proxy);
                        case "POST" -> toxicCreate(proxy, body);
                        default -> throw methodNotAllowed();
                    };
                }
                if (n == 4) {
                    String toxic = seg.get(3);
                    return switch (method) {
                        case "GET" -> ApiResponse.json(200, find(proxy).toxics.get(toxic).toJson());
                        case "POST", "PATCH" -> toxicUpdate(proxy, toxic, body);
                        case "DELETE" -> toxicDelete(proxy, toxic);
                        default -> throw methodNotAllowed();
                    };
                }
            }
        }
        throw new ApiException(404, "not found");
    }

    private ApiResponse proxyIndex() {
        ObjectNode all = JsonNodeFactory.instance.objectNode();
        proxies.forEach((name, p) -> all.set(name, p.toJson()));
        return ApiResponse.json(200, all);
    }

    private ApiResponse proxyCreate(byte[] body) throws ApiException {
        JsonNode in = parse(body);
        requireObject(in, "toxiproxy.Proxy");
        String name = Toxic.string(in, "name", "");
        String listen = Toxic.string(in, "listen", "");
        String upstream = Toxic.string(in, "upstream", "");
        boolean enabled = Toxic.bool(in, "enabled", true);
        if (name.isEmpty()) {
            throw ApiException.missingField("name");
        }
        if (upstream.isEmpty()) {
            throw ApiException.missingField("upstream");
        }
        if (proxies.containsKey(name)) {
            throw new ApiException(409, ApiException.PROXY_ALREADY_EXISTS);
        }
        ProxyEntry p = new ProxyEntry(name, listen.isEmpty() ? DEFAULT_LISTEN : listen, upstream);
        if (enabled) {
            p.start();
        }
        proxies.put(name, p);
        return ApiResponse.json(201, p.toJson());
    }

    /**
     * {@code POST /populate}: a JSON array of proxies. All are checked before any is made; a proxy
     * whose name exists is kept when its listen and upstream are unchanged, else replaced
     * ({@code ProxyCollection.AddOrReplace}). Answers 201 {@code {"proxies": [...]}}, or the first
     * error's status with {@code error}, {@code status} and the proxies made until then.
     */
    private ApiResponse populate(byte[] body) throws ApiException {
        JsonNode in = parse(body);
        if (!in.isArray()) {
            throw ApiException.badBody("json: cannot unmarshal " + Toxic.kind(in)
                    + " into Go value of type []toxiproxy.Proxy");
        }
        record Input(String name, String listen, String upstream, boolean enabled) {
        }
        List<Input> inputs = new ArrayList<>();
        for (int i = 0; i < in.size(); i++) {
            JsonNode p = in.get(i);
            requireObject(p, "toxiproxy.Proxy");
            String name = Toxic.string(p, "name", "");
            String listen = Toxic.string(p, "listen", "");
            String upstream = Toxic.string(p, "upstream", "");
            if (name.isEmpty()) {
                throw ApiException.missingField("name at proxy " + (i + 1));
            }
            if (upstream.isEmpty()) {
                throw ApiException.missingField("upstream at proxy " + (i + 1));
            }
            inputs.add(new Input(name, listen.isEmpty() ? DEFAULT_LISTEN : listen, upstream,
                    Toxic.bool(p, "enabled", true)));
        }
        ArrayNode made = JsonNodeFactory.instance.arrayNode();
        ApiException failure = null;
        for (Input input : inputs) {
            ProxyEntry existing = proxies.get(input.name());
            if (existing != null && existing.listen.equals(input.listen())
                    && existing.upstream.equals(input.upstream())) {
                made.add(existing.toJson());
                continue;
            }
            if (existing != null) {
                existing.stop();
                proxies.remove(input.name());
            }
            ProxyEntry p = new ProxyEntry(input.name(), input.listen(), input.upstream());
            try {
                if (input.enabled()) {
                    p.start();
                }
            } catch (ApiException e) {
                failure = e;
                break;
            }
            proxies.put(p.name, p);
            made.add(p.toJson());
        }
        ObjectNode out = failure == null ? JsonNodeFactory.instance.objectNode() : failure.toJson();
        out.set("proxies", made);
        return ApiResponse.json(failure == null ? 201 : failure.status(), out);
    }

    private ApiResponse proxyUpdate(String name, byte[] body) throws ApiException {
        ProxyEntry p = find(name);
        JsonNode in = parse(body);
        requireObject(in, "toxiproxy.Proxy");
        String listen = Toxic.string(in, "listen", p.listen);
        String upstream = Toxic.string(in, "upstream", p.upstream);
        boolean enabled = Toxic.bool(in, "enabled", p.enabled());
        // Proxy.Update: a new address restarts the proxy; then enabled is applied.
        if (!listen.equals(p.listen) || !upstream.equals(p.upstream)) {
            p.stop();
            p.listen = listen.isEmpty() ? DEFAULT_LISTEN : listen;
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
        Toxic t = Toxic.fromCreateJson(parse(body));
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

    private static ApiException methodNotAllowed() {
        return new ApiException(405, "method not allowed");
    }

    private static void requireMethod(String method, String allowed) throws ApiException {
        if (!method.equals(allowed)) {
            throw methodNotAllowed();
        }
    }

    private static void requireObject(JsonNode node, String goType) throws ApiException {
        if (!node.isObject()) {
            throw ApiException.badBody("json: cannot unmarshal " + Toxic.kind(node) + " into Go value of type "
                    + goType);
        }
    }

    /** The body as JSON; Go's decoder reports an empty body as EOF. */
    static JsonNode parse(byte[] body) throws ApiException {
        if (body == null || new String(body, java.nio.charset.StandardCharsets.UTF_8).isBlank()) {
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

    /** Decoded path segments; a percent-escaped slash stays inside its segment. */
    static List<String> segments(String rawUri) {
        String path = new QueryStringDecoder(rawUri).rawPath();
        List<String> out = new ArrayList<>();
        if (!path.startsWith("/")) {
            out.add("\0invalid");
            return out;
        }
        String rest = path.substring(1);
        if (rest.isEmpty()) {
            return out;
        }
        for (String s : rest.split("/", -1)) {
            out.add(QueryStringDecoder.decodeComponent(s));
        }
        return out;
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
            try {
                bound = dataPlane.bind(name, listen, upstream, toxics);
            } catch (Exception e) {
                LOG.warn("toxiproxy: proxy {} cannot listen on {}: {}", name, listen, e.toString());
                throw new ApiException(500, "listen tcp " + listen + ": " + e.getMessage());
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

        /** Toxiproxy's field order: name, listen, upstream, enabled, toxics. */
        ObjectNode toJson() {
            ObjectNode n = JsonNodeFactory.instance.objectNode();
            n.put("name", name);
            n.put("listen", listen);
            n.put("upstream", upstream);
            n.put("enabled", enabled());
            ArrayNode arr = n.putArray("toxics");
            for (Toxic t : toxics.list()) {
                arr.add(t.toJson());
            }
            return n;
        }
    }
}
