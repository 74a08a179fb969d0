package ossidecar.core.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One mapping of the YAML tree, read key by key. It remembers which keys were asked for, so
 * {@link #finish()} can name every unknown key with the keys that are allowed; every problem
 * is recorded with its full key path instead of failing at the first.
 */
final class Section {
    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h)");

    private final String path;
    private final JsonNode node;
    private final List<String> problems;
    private final Set<String> known = new LinkedHashSet<>();

    Section(String path, JsonNode node, List<String> problems) {
        this.path = path;
        this.node = node == null ? MissingNode.getInstance() : node;
        this.problems = problems;
        if (!this.node.isMissingNode() && !this.node.isNull() && !this.node.isObject()) {
            problem(path, "expected a mapping of keys, found " + describe(this.node));
        }
    }

    String path() {
        return path;
    }

    boolean present() {
        return node.isObject();
    }

    boolean has(String key) {
        known.add(key);
        JsonNode v = node.get(key);
        return v != null && !v.isNull();
    }

    String keyPath(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    /** How many problems were already recorded for this key path or below it. */
    long problemsAbout(String keyPath) {
        return problems.stream().filter(p -> p.startsWith(keyPath)).count();
    }

    void problem(String keyPath, String message) {
        problems.add(keyPath + ": " + message);
    }

    private JsonNode value(String key) {
        known.add(key);
        JsonNode v = node.get(key);
        return v == null || v.isNull() ? null : v;
    }

    String string(String key, String fallback) {
        JsonNode v = value(key);
        if (v == null) {
            return fallback;
        }
        if (!v.isValueNode() || v.isBinary()) {
            problem(keyPath(key), "expected a text value, found " + describe(v));
            return fallback;
        }
        return v.asText();
    }

    boolean bool(String key, boolean fallback) {
        JsonNode v = value(key);
        if (v == null) {
            return fallback;
        }
        if (!v.isBoolean()) {
            problem(keyPath(key), "expected true or false, found " + describe(v));
            return fallback;
        }
        return v.booleanValue();
    }

    int integer(String key, int fallback, int min, int max) {
        JsonNode v = value(key);
        if (v == null) {
            return fallback;
        }
        if (!v.canConvertToInt() || !v.isIntegralNumber()) {
            problem(keyPath(key), "expected a whole number from " + min + " to " + max + ", found " + describe(v));
            return fallback;
        }
        int i = v.intValue();
        if (i < min || i > max) {
            problem(keyPath(key), i + " is out of range (allowed: " + min + " to " + max + ")");
            return fallback;
        }
        return i;
    }

    /** Durations are written like {@code 500ms}, {@code 5s}, {@code 2m}, {@code 1h}. */
    Duration duration(String key, Duration fallback, Duration min, Duration max) {
        JsonNode v = value(key);
        if (v == null) {
            return fallback;
        }
        Matcher m = DURATION.matcher(v.asText().trim().toLowerCase(Locale.ROOT));
        if (!v.isTextual() || !m.matches()) {
            problem(keyPath(key), "expected a duration like 500ms, 5s, 2m or 1h, found " + describe(v));
            return fallback;
        }
        long n = Long.parseLong(m.group(1));
        Duration d = switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            default -> Duration.ofHours(n);
        };
        if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
            problem(keyPath(key), v.asText() + " is out of range (allowed: " + Durations.format(min)
                    + " to " + Durations.format(max) + ")");
            return fallback;
        }
        return d;
    }

    <E extends Enum<E>> E choice(String key, E fallback, Class<E> type) {
        String raw = string(key, null);
        if (raw == null) {
            return fallback;
        }
        for (E e : type.getEnumConstants()) {
            if (Choices.spelling(e).equals(raw.trim().toLowerCase(Locale.ROOT))) {
                return e;
            }
        }
        problem(keyPath(key), "'" + raw + "' is not allowed (allowed: " + Choices.allowed(type) + ")");
        return fallback;
    }

    /** Host and port written as {@code host:port}. */
    Endpoint endpoint(String key, Endpoint fallback) {
        String raw = string(key, null);
        if (raw == null) {
            return fallback;
        }
        try {
            return Endpoint.parse(raw);
        } catch (IllegalArgumentException e) {
            problem(keyPath(key), e.getMessage());
            return fallback;
        }
    }

    Section section(String key) {
        return new Section(keyPath(key), value(key), problems);
    }

    /** A list whose items are each read by {@code item}, with the item's index in its key path. */
    <T> List<T> list(String key, Function<Item, T> item) {
        JsonNode v = value(key);
        List<T> out = new ArrayList<>();
        if (v == null) {
            return out;
        }
        if (!v.isArray()) {
            problem(keyPath(key), "expected a list, found " + describe(v));
            return out;
        }
        for (int i = 0; i < v.size(); i++) {
            T t = item.apply(new Item(keyPath(key) + "[" + i + "]", v.get(i), problems));
            if (t != null) {
                out.add(t);
            }
        }
        return out;
    }

    /** Records every key of this mapping that nobody asked for. */
    void finish() {
        if (!node.isObject()) {
            return;
        }
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!known.contains(k)) {
                problem(keyPath(k), "unknown key (allowed here: " + String.join(", ", known) + ")");
            }
        }
    }

    static String describe(JsonNode v) {
        if (v.isObject()) {
            return "a mapping";
        }
        if (v.isArray()) {
            return "a list";
        }
        return "'" + v.asText() + "'";
    }

    /** One element of a list: either a scalar or a mapping. */
    record Item(String path, JsonNode node, List<String> problems) {
        boolean isScalar() {
            return node.isValueNode();
        }

        String text() {
            return node.asText();
        }

        Section section() {
            return new Section(path, node, problems);
        }

        void problem(String message) {
            problems.add(path + ": " + message);
        }
    }
}
