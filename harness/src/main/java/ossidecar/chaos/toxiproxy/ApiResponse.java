package ossidecar.chaos.toxiproxy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;

/** One HTTP answer of the API: status, content type and body bytes (empty for 204). */
record ApiResponse(int status, String contentType, byte[] body) {

    static final ObjectMapper MAPPER = new ObjectMapper();
    private static final byte[] EMPTY = new byte[0];

    static ApiResponse json(int status, JsonNode node) {
        try {
            return new ApiResponse(status, "application/json", MAPPER.writeValueAsBytes(node));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise " + node, e);
        }
    }

    static ApiResponse error(ApiException e) {
        return json(e.status(), e.toJson());
    }

    static ApiResponse noContent() {
        return new ApiResponse(204, "", EMPTY);
    }

    static ApiResponse text(int status, String text) {
        return new ApiResponse(status, "text/plain; charset=utf-8", text.getBytes(StandardCharsets.UTF_8));
    }

    String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }
}
