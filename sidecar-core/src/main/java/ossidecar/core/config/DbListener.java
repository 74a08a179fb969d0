package ossidecar.core.config;

/** One client-facing port of the DB router and its routing role. */
public record DbListener(DbRole role, Endpoint listen) {
}
