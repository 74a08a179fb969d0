package ossidecar.core.config;

/** The whole sidecar: which proxies run, where they listen, which nodes they use. */
public record SidecarConfig(AdminConfig admin, AmqpProxyConfig amqp, DbRouterConfig db, String logLevel) {
}
