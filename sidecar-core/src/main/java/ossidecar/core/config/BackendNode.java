package ossidecar.core.config;

/** One backend server of a pool (a broker or a Galera node), named for logs and metrics. */
public record BackendNode(String name, Endpoint address) {
}
