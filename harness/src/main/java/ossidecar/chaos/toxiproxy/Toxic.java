package ossidecar.chaos.toxiproxy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * One toxic as the API knows it: immutable; an update makes a new value. JSON parsing follows
 * Toxiproxy's {@code toxic_collection.go}: {@code AddToxicJson} (defaults: stream
 * {@code downstream}, toxicity 1, name {@code <type>_<stream>}, attributes 0) and
 * {@code UpdateToxicJson} (only {@code attributes} and {@code toxicity} change, and only the
 * attributes present in the body), decoded as Go's {@code encoding/json} does ({@link GoJson}).
 * The stream is matched ignoring case and kept as the client wrote it ({@code "UPSTREAM"} is
 * echoed so, and names the default {@code latency_UPSTREAM}), as {@code stream.ParseDirection}
 * lower-cases only for the match.
 */
final class Toxic {
    /** Go's name of the wrapper struct, in type errors of its fields. */
    private static final String WRAPPER = "ToxicWrapper";
    /** The anonymous struct {@code UpdateToxicJson} decodes into, as Go prints its type. */
    static final String UPDATE_STRUCT =
            "struct { Attributes interface {} \"json:\\\"attributes\\\"\"; Toxicity float32 \"json:\\\"toxicity\\\"\" }";

    private final String name;
    private final ToxicType type;
    private final Direction stream;
    private final String streamName;
    private final float toxicity;
    private final Map<String, Long> attributes;

    private Toxic(String name, ToxicType type, Direction stream, String streamName, float toxicity,
            Map<String, Long> attributes) {
        this.name = name;
        this.type = type;
        this.stream = stream;
        this.streamName = streamName;
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
        return new Toxic(name, type, stream, stream.wireName(), toxicity, attrs);
    }

    /** Parses the body of {@code POST /proxies/{proxy}/toxics} for a proxy without toxics. */
    static Toxic fromCreateJson(JsonNode body) throws ApiException {
        return fromCreateJson(body, name -> false);
    }

    /**
     * Parses the body of {@code POST /proxies/{proxy}/toxics}, in Toxiproxy's order of checks:
     * the wrapper's fields, the stream, the type, whether {@code taken} already has the name
     * (409), and only then the attributes, which are decoded once the type is known.
     */
    static Toxic fromCreateJson(JsonNode body, Predicate<String> taken) throws ApiException {
        JsonNode in = GoJson.object(body, "toxics.ToxicWrapper");
        String name = GoJson.string(in, "name", "", WRAPPER);
        String typeName = GoJson.string(in, "type", "", WRAPPER);
        String streamName = GoJson.string(in, "stream", "downstream", WRAPPER);
        float toxicity = GoJson.float32(in, "toxicity", 1f, WRAPPER);
        // The first pass decodes attributes into a noop toxic, which has no fields: only the
        // JSON type of "attributes" itself can fail here.
        JsonNode attrs = GoJson.field(in, "attributes");
        if (attrs != null && !attrs.isObject()) {
            throw GoJson.typeError(attrs, WRAPPER, "attributes", "toxics.NoopToxic", false);
        }
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
        if (taken.test(name)) {
            throw new ApiException(409, ApiException.TOXIC_ALREADY_EXISTS);
        }
        return new Toxic(name, type, stream, streamName, toxicity, merge(type, zeros(type), attrs));
    }

    /** Applies the body of {@code POST|PATCH /proxies/{proxy}/toxics/{toxic}} to this toxic. */
    Toxic withUpdateJson(JsonNode body) throws ApiException {
        JsonNode in = GoJson.object(body, UPDATE_STRUCT);
        // The anonymous struct has no name: Go writes its fields as ".toxicity".
        JsonNode attrs = GoJson.field(in, "attributes");
        if (attrs != null && !attrs.isObject()) {
            throw GoJson.typeError(attrs, "", "attributes", "toxics." + type.goName(), false);
        }
        Map<String, Long> merged = merge(type, new LinkedHashMap<>(attributes), attrs);
        float newToxicity = GoJson.float32(in, "toxicity", toxicity, "");
        return new Toxic(name, type, stream, streamName, newToxicity, merged);
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

    /** The stream as the client wrote it, e.g. {@code UPSTREAM}. */
    String streamName() {
        return streamName;
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
        n.put("stream", streamName);
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
                && t.streamName.equals(streamName)
                && Float.compare(t.toxicity, toxicity) == 0 && t.attributes.equals(attributes);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, type, streamName, toxicity, attributes);
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

    /** The attributes present in {@code attrs} over {@code base}; Go's type errors name the toxic's struct. */
    private static Map<String, Long> merge(ToxicType type, Map<String, Long> base, JsonNode attrs)
            throws ApiException {
        if (attrs == null) {
            return base;
        }
        for (String a : type.attributes()) {
            base.put(a, GoJson.integer(attrs, a, base.get(a), type.goName() + ".attributes", type.goIntType()));
        }
        return base;
    }
}
