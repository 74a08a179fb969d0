package ossidecar.chaos.suite;

import eu.rekawek.toxiproxy.Proxy;
import java.time.Duration;
import java.util.Optional;
import ossidecar.core.config.SidecarConfig;

/**
 * Where the suite breaks things: local clusters started by the harness, or a real deployment
 * described by a config's {@code chaos:} section. Process faults go through {@link #act};
 * network faults through the Toxiproxy proxy in front of a node, driven by the Toxiproxy Java
 * client only, so that a real Toxiproxy server serves as well as the embedded one.
 */
public interface Deployment extends AutoCloseable {
    /** The sidecar's config for this deployment (backends as the sidecar should reach them). */
    SidecarConfig sidecarConfig();

    /** Whether {@code action} can be done to {@code node}; when not, why (for the report). */
    Optional<String> cannot(NodeAction action, String node);

    /** Does {@code action} to {@code node}; returns when the command has done it. */
    void act(NodeAction action, String node) throws Exception;

    /** The Toxiproxy proxy between the sidecar and {@code node}, when there is one. */
    Optional<Proxy> toxiproxy(String node);

    /** A JDBC URL straight to a Galera node (not through the router), for faults made by SQL. */
    String jdbcUrlOf(String node);

    String amqpUser();

    String amqpPassword();

    String amqpVhost();

    String dbUser();

    String dbPassword();

    /** How long a node may take to be back and seen by the sidecar after a start or resume. */
    Duration recoveryBound();

    /** Puts every node back (resume, start) and removes every toxic; before and after each scenario. */
    void restoreAll(SystemUnderTest sut) throws Exception;

    @Override
    void close();
}
