package ossidecar.chaos.toxiproxy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;

/**
 * One HTTP answer of the API: status, content type (null: no {@code Content-Type} header) and
 * body bytes, the Location of a redirect, and whether a route took the request (Toxiproxy's
 * middleware, which tags answers with a request id, runs only then). The shapes are those of Toxiproxy 2.8 on Go's {@code net/http}:
 *
 * <ul>
 *   <li>success: JSON labelled {@code application/json};</li>
 *   <li>errors ({@code apiError}): the JSON {@code {"error": ..., "status": N}} plus a newline,
 *       sent through {@code http.Error}, which labels it {@code text/plain; charset=utf-8};</li>
 *   <li>{@code POST /populate}: JSON labelled {@code application/json} even for errors;</li>
 *   <li>no route ({@code mux} NotFound): {@code 404 page not found} as plain text; a route
 *       without the method: 405 with no body and no content type.</li>
 * </ul>
 *
 * Every plain-text answer comes from {@code http.Error}, which also sets
 * {@code X-Content-Type-Options: nosniff} (see {@link #nosniff()}).
 */
record ApiResponse(int status, String contentType, byte[] body, String location, boolean routed) {

    static final ObjectMapper MAPPER = new ObjectMapper();
    static final String JSON = "application/json";
    static final String TEXT = "text/plain; charset=utf-8";
    private static final byte[] EMPTY = new byte[0];

    ApiResponse(int status, String contentType, byte[] body) {
        this(status, contentType, body, null, false);
    }

    static ApiResponse json(int status, JsonNode node) {
        return new ApiResponse(status, JSON, bytes(node));
    }

    /** An API error as {@code apiError} sends it: JSON text with a newline, labelled plain text. */
    static ApiResponse error(ApiException e) {
        byte[] json = bytes(e.toJson());
        byte[] body = new byte[json.length + 1];
        System.arraycopy(json, 0, body, 0, json.length);
        body[json.length] = '\n';
        return new ApiResponse(e.status(), TEXT, body);
    }

    static ApiResponse noContent() {
        return new ApiResponse(204, null, EMPTY);
    }

    /** A status with no body and no content type (405 from the router). */
    static ApiResponse empty(int status) {
        return new ApiResponse(status, null, EMPTY);
    }

    /** mux's redirect of a path that is not clean: 301, a Location, no body. */
    static ApiResponse movedTo(String location) {
        return new ApiResponse(301, null, EMPTY, location, false);
    }

    /** {@code http.Error(w, text, status)}: the text and a newline. */
    static ApiResponse text(int status, String text) {
        return new ApiResponse(status, TEXT, (text + "\n").getBytes(StandardCharsets.UTF_8));
    }

    /** This answer, as given by a matched route. */
    ApiResponse asRouted() {
        return new ApiResponse(status, contentType, body, location, true);
    }

    /** True for answers written by Go's {@code http.Error}. */
    boolean nosniff() {
        return TEXT.equals(contentType);
    }

    String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    private static byte[] bytes(JsonNode node) {
        try {
            return MAPPER.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise " + node, e);
        }
    }
}
