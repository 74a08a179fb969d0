package ossidecar.core.admin;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/** The sections of {@code /status}: each proxy reports its nodes, states, writer, connections. */
public final class StatusReports {
    private final Map<String, Supplier<Object>> sections = new LinkedHashMap<>();

    public synchronized void register(String name, Supplier<Object> section) {
        sections.put(name, section);
    }

    public synchronized Map<String, Object> collect() {
        Map<String, Object> out = new LinkedHashMap<>();
        sections.forEach((name, s) -> {
            try {
                out.put(name, s.get());
            } catch (RuntimeException e) {
                out.put(name, Map.of("error", String.valueOf(e)));
            }
        });
        return out;
    }
}
