package ossidecar.chaos.toxiproxy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * An API error with Toxiproxy's status and message ({@code api.go}: {@code ApiError}), sent
 * as {@code {"error": "...", "status": N}}.
 */
final class ApiException extends Exception {
    private static final long serialVersionUID = 1L;

    static final String PROXY_NOT_FOUND = "proxy not found";
    static final String PROXY_ALREADY_EXISTS = "proxy already exists";
    static final String TOXIC_NOT_FOUND = "toxic not found";
    static final String TOXIC_ALREADY_EXISTS = "toxic already exists";
    static final String INVALID_TOXIC_TYPE = "invalid toxic type";
    static final String INVALID_STREAM = "stream was invalid, can be either upstream or downstream";
    static final String MISSING_FIELD = "missing required field";
    static final String BAD_REQUEST_BODY = "bad request body";

    private final int status;

    ApiException(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    int status() {
        return status;
    }

    static ApiException proxyNotFound() {
        return new ApiException(404, PROXY_NOT_FOUND);
    }

    static ApiException toxicNotFound() {
        return new ApiException(404, TOXIC_NOT_FOUND);
    }

    static ApiException missingField(String what) {
        return new ApiException(400, MISSING_FIELD + ": " + what);
    }

    static ApiException badBody(String detail) {
        return new ApiException(400, BAD_REQUEST_BODY + ": " + detail);
    }

    ObjectNode toJson() {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.put("error", getMessage());
        n.put("status", status);
        return n;
    }
}
