package ossidecar.core.config;

/** The admin HTTP server: metrics, health, status and log levels. */
public record AdminConfig(boolean enabled, Endpoint listen) {
    public static final Endpoint DEFAULT_LISTEN = new Endpoint("127.0.0.1", 9464);
}
