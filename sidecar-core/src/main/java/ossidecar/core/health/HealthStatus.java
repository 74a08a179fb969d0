package ossidecar.core.health;

import java.util.List;

/** Whether a component can do its work, and if not, why (each reason tells the operator what is wrong). */
public record HealthStatus(boolean up, List<String> reasons) {
    public HealthStatus {
        reasons = List.copyOf(reasons);
    }

    public static HealthStatus healthy() {
        return new HealthStatus(true, List.of());
    }

    public static HealthStatus unhealthy(List<String> reasons) {
        return new HealthStatus(false, reasons);
    }
}
