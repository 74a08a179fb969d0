package ossidecar.core.admin;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import ossidecar.core.health.HealthStatus;

/** The named checks behind {@code /health}: the sidecar is healthy when every check is. */
public final class HealthChecks {
    private final Map<String, Supplier<HealthStatus>> checks = new LinkedHashMap<>();

    public synchronized void register(String name, Supplier<HealthStatus> check) {
        checks.put(name, check);
    }

    public synchronized Map<String, HealthStatus> evaluate() {
        Map<String, HealthStatus> out = new LinkedHashMap<>();
        checks.forEach((name, check) -> {
            HealthStatus s;
            try {
                s = check.get();
            } catch (RuntimeException e) {
                s = HealthStatus.unhealthy(List.of(name + " check failed: " + e));
            }
            out.put(name, s);
        });
        return out;
    }

    /** Up when all checks are up; otherwise the reasons of every failing one. */
    public static HealthStatus overall(Map<String, HealthStatus> results) {
        List<String> reasons = new ArrayList<>();
        results.values().forEach(s -> {
            if (!s.up()) {
                reasons.addAll(s.reasons());
            }
        });
        return reasons.isEmpty() ? HealthStatus.healthy() : HealthStatus.unhealthy(reasons);
    }
}
