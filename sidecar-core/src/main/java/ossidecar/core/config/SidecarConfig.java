package ossidecar.core.config;

/**
 * The whole sidecar: which proxies run, where they listen, which nodes they use; and, for
 * {@code sidecar chaos -c}, how to break them on purpose (ignored by {@code run}).
 */
public record SidecarConfig(AdminConfig admin, AmqpProxyConfig amqp, DbRouterConfig db, String logLevel,
                            ChaosConfig chaos) {
}
