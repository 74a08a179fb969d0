package ossidecar.core.admin;

import java.nio.charset.StandardCharsets;

/** What the admin server answers: status code, content type and body. */
public record AdminResponse(int status, String contentType, byte[] body) {
    public static final String JSON = "application/json";

    public static AdminResponse text(int status, String contentType, String body) {
        return new AdminResponse(status, contentType, body.getBytes(StandardCharsets.UTF_8));
    }

    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }
}
