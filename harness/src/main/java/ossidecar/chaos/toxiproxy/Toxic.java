package ossidecar.chaos.toxiproxy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One toxic as the API knows it: immutable; an update makes a new value. JSON parsing follows
 * Toxiproxy's {@code toxic_collection.go}: {@code AddToxicJson} (defaults: stream
 * {@code downstream}, toxicity 1, name {@code <type>_<stream>}, attributes 0) and
 * {@code UpdateToxicJson} (only {@code attributes} and {@code toxicity} change, and only the
 * attributes present in the body). Unknown fields and attributes are ignored, as Go's decoder
 * ignores them.
 */
final class Toxic {

    private final String name;
    private final ToxicType type;
    private final Direction stream;
    private final float toxicity;
    private final Map<String, Long> attributes;

    private Toxic(String name, ToxicType type, Direction stream, float toxicity, Map<String, Long> attributes) {
        this.name = name;
        this.type = type;
        this.stream = stream;
        this.toxicity = toxicity;
        this.attributes = Collections.unmodifiableMap(attributes);
    }

    /** A toxic built in code; attributes not given are 0. */
    static Toxic of(String name, ToxicType type, Direction stream, float toxicity, Map<String, Long> attributes) {
        Map<String, Long> attrs = zeros(type);
        attributes.forEach((k, v) -> {
            if (attrs.containsKey(k)) {
                attrs.put(k, v);
            }
        });
        return new Toxic(name, type, stream, toxicity, attrs);
    }

    /** Parses the body of {@code POST /proxies/{proxy}/toxics}. */
    static Toxic fromCreateJson(JsonNode body) throws ApiException {
        requireObject(body, "toxics.ToxicWrapper");
        String streamName = string(body, "stream", "downstream");
        String typeName = string(body, "type", "");
        String name = string(body, "name", "");
        float toxicity = number(body, "toxicity", 1f);
        Direction stream = Direction.parse(streamName);
        if (stream == null) {
            throw new ApiException(400, ApiException.INVALID_STREAM);
        }
        if (name.isEmpty()) {
            name = typeName + "_" + streamName;
        }
        ToxicType type = ToxicType.parse(typeName);
        if (type == null) {
            throw new ApiException(400, ApiException.INVALID_TOXIC_TYPE);
        }
        return new Toxic(name, type, stream, toxicity, merge(type, zeros(type), body.get("attributes")));
    }

    /** Applies the body of {@code POST|PATCH /proxies/{proxy}/toxics/{toxic}} to this toxic. */
    Toxic withUpdateJson(JsonNode body) throws ApiException {
        requireObject(body, "struct { Attributes; Toxicity }");
        float newToxicity = number(body, "toxicity", toxicity);
        return new Toxic(name, type, stream, newToxicity, merge(type, new LinkedHashMap<>(attributes),
                body.get("attributes")));
    }

    String name() {
        return name;
    }

    ToxicType type() {
        return type;
    }

    Direction stream() {
        return stream;
    }

    float toxicity() {
        return toxicity;
    }

    Map<String, Long> attributes() {
        return attributes;
    }

    /** The attribute's value; 0 for a name the type does not have. */
    long attribute(String attribute) {
        return attributes.getOrDefault(attribute, 0L);
    }

    /** Toxiproxy's field order: attributes, name, type, stream, toxicity. */
    ObjectNode toJson() {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        ObjectNode attrs = n.putObject("attributes");
        attributes.forEach(attrs::put);
        n.put("name", name);
        n.put("type", type.wireName());
        n.put("stream", stream.wireName());
        // Go prints float32 1.0 as 1; Jackson would print 1.0. Both parse, this one matches.
        if (toxicity == Math.rint(toxicity) && !Float.isInfinite(toxicity)) {
            n.put("toxicity", (long) toxicity);
        } else {
            n.put("toxicity", toxicity);
        }
        return n;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Toxic t && t.name.equals(name) && t.type == type && t.stream == stream
                && Float.compare(t.toxicity, toxicity) == 0 && t.attributes.equals(attributes);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, type, stream, toxicity, attributes);
    }

    @Override
    public String toString() {
        return toJson().toString();
    }

    private static Map<String, Long> zeros(ToxicType type) {
        Map<String, Long> m = new LinkedHashMap<>();
        for (String a : type.attributes()) {
            m.put(a, 0L);
        }
        return m;
    }

    private static Map<String, Long> merge(ToxicType type, Map<String, Long> base, JsonNode attrs)
            throws ApiException {
        if (attrs == null || attrs.isNull()) {
            return base;
        }
        requireObject(attrs, "toxics." + type.wireName());
        for (String a : type.attributes()) {
            JsonNode v = attrs.get(a);
            if (v == null || v.isNull()) {
                continue;
            }
            if (!v.isNumber() || !v.canConvertToExactIntegral() || !v.canConvertToLong()) {
                throw ApiException.badBody("json: cannot unmarshal " + kind(v) + " into Go struct field "
                        + a + " of type int64");
            }
            base.put(a, v.longValue());
        }
        return base;
    }

    private static void requireObject(JsonNode node, String goType) throws ApiException {
        if (node == null || !node.isObject()) {
            throw ApiException.badBody("json: cannot unmarshal " + kind(node) + " into Go value of type " + goType);
        }
    }

    /** A string field; absent or null gives {@code absent}; another JSON type is a bad body. */
    static String string(JsonNode obj, String field, String absent) throws ApiException {
        JsonNode v = obj.get(field);
        if (v == null || v.isNull()) {
            return absent;
        }
        if (!v.isTextual()) {
            throw ApiException.badBody("json: cannot unmarshal " + kind(v) + " into Go struct field " + field
                    + " of type string");
        }
        return v.textValue();
    }

    /** A boolean field, as {@link #string}. */
    static boolean bool(JsonNode obj, String field, boolean absent) throws ApiException {
        JsonNode v = obj.get(field);
        if (v == null || v.isNull()) {
            return absent;
        }
        if (!v.isBoolean()) {
            throw ApiException.badBody("json: cannot unmarshal " + kind(v) + " into Go struct field " + field
                    + " of type bool");
        }
        return v.booleanValue();
    }

    private static float number(JsonNode obj, String field, float absent) throws ApiException {
        JsonNode v = obj.get(field);
        if (v == null || v.isNull()) {
            return absent;
        }
        if (!v.isNumber()) {
            throw ApiException.badBody("json: cannot unmarshal " + kind(v) + " into Go struct field " + field
                    + " of type float32");
        }
        return v.floatValue();
    }

    static String kind(JsonNode v) {
        if (v == null || v.isMissingNode()) {
            return "nothing";
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
        if (v.isNumber()) {
            return "number " + v.asText();
        }
        return "null";
    }
}
