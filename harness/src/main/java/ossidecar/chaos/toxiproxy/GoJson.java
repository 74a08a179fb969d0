package ossidecar.chaos.toxiproxy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Map;

/**
 * Reads request bodies the way Go's {@code encoding/json} fills Toxiproxy's structs, so that a
 * client sees the same accepted inputs and the same error texts:
 *
 * <ul>
 *   <li>object keys match struct fields case-insensitively ({@code "Name"} sets {@code name});
 *       of several matching keys the last one wins;</li>
 *   <li>{@code null} leaves a field as it was (a {@code null} body leaves the whole struct so);</li>
 *   <li>integers must be integer literals ({@code 5.0} and {@code 1e3} are refused);</li>
 *   <li>a value of the wrong JSON type fails with {@code json: cannot unmarshal <kind> into Go
 *       struct field <Struct>.<path> of type <type>}, where {@code <kind>} is {@code number}
 *       bare, or {@code number <literal>} when the target is itself a number.</li>
 * </ul>
 *
 * Unknown keys are ignored, as Go ignores them. Number literals are echoed as Jackson prints
 * them ({@code 1.5}), which can differ from the client's spelling for exotic forms.
 */
final class GoJson {

    private GoJson() {
    }

    /** The value of struct field {@code name}: the last non-null value under a key equal to it ignoring case. */
    static JsonNode field(JsonNode obj, String name) {
        JsonNode found = null;
        for (Iterator<Map.Entry<String, JsonNode>> it = obj.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            // String.equalsIgnoreCase folds as Go's bytes.EqualFold does for these ASCII names,
            // including the Kelvin sign and the long s.
            if (e.getKey().equalsIgnoreCase(name) && !e.getValue().isNull()) {
                found = e.getValue();
            }
        }
        return found;
    }

    /**
     * The body as a JSON object: {@code null} counts as an empty object (Go leaves the struct as it
     * was); any other non-object fails as Go's decoder reports it for {@code goType}.
     */
    static JsonNode object(JsonNode body, String goType) throws ApiException {
        if (body == null || body.isNull()) {
            return ApiResponse.MAPPER.createObjectNode();
        }
        if (!body.isObject()) {
            throw ApiException.badBody("json: cannot unmarshal " + kind(body, false) + " into Go value of type "
                    + goType);
        }
        return body;
    }

    /** A {@code string} field of struct {@code struct} ("" for an anonymous struct). */
    static String string(JsonNode obj, String name, String absent, String struct) throws ApiException {
        JsonNode v = field(obj, name);
        if (v == null) {
            return absent;
        }
        if (!v.isTextual()) {
            throw typeError(v, struct, name, "string", false);
        }
        return v.textValue();
    }

    /** A {@code bool} field. */
    static boolean bool(JsonNode obj, String name, boolean absent, String struct) throws ApiException {
        JsonNode v = field(obj, name);
        if (v == null) {
            return absent;
        }
        if (!v.isBoolean()) {
            throw typeError(v, struct, name, "bool", false);
        }
        return v.booleanValue();
    }

    /** A {@code float32} field; a literal beyond float32's range fails as in Go. */
    static float float32(JsonNode obj, String name, float absent, String struct) throws ApiException {
        JsonNode v = field(obj, name);
        if (v == null) {
            return absent;
        }
        if (!v.isNumber() || Float.isInfinite(v.floatValue())) {
            throw typeError(v, struct, name, "float32", true);
        }
        return v.floatValue();
    }

    /** An integer field of Go type {@code goType} ({@code int64} or {@code int}, both 64-bit here). */
    static long integer(JsonNode obj, String name, long absent, String struct, String goType) throws ApiException {
        JsonNode v = field(obj, name);
        if (v == null) {
            return absent;
        }
        // Go parses the literal with ParseInt: no fraction, no exponent, within 64 bits.
        if (!v.isIntegralNumber() || !v.canConvertToLong()) {
            throw typeError(v, struct, name, goType, true);
        }
        return v.longValue();
    }

    /** Go's {@code UnmarshalTypeError} text for field {@code path} of struct {@code struct}. */
    static ApiException typeError(JsonNode v, String struct, String path, String goType, boolean numericTarget) {
        return ApiException.badBody("json: cannot unmarshal " + kind(v, numericTarget) + " into Go struct field "
                + struct + "." + path + " of type " + goType);
    }

    /** How Go names a JSON value in a type error. */
    static String kind(JsonNode v, boolean numericTarget) {
        if (v == null || v.isMissingNode() || v.isNull()) {
            return "null";
        }
        if (v.isObject()) {
            return "object";
        }
        if (v.isArray()) {
            return "array";
        }
        if (v.isTextual()) {
            return "string";
        }
        if (v.isBoolean()) {
            return "bool";
        }
        return numericTarget ? "number " + v.asText() : "number";
    }
}
