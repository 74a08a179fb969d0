package ossidecar.chaos.suite;

import java.util.List;

/**
 * The running sidecar the suite drives traffic through and reads node roles from: the node
 * under the AMQP proxy's clients and the Galera writer are the worst places for a fault, and
 * only the sidecar knows which they are at the moment.
 */
public interface SystemUnderTest {
    /** The AMQP proxy's port, or -1 when it is not enabled. */
    int amqpPort();

    /** The DB router's port of its {@code split} listener (else its first), or -1. */
    int dbPort();

    /** The broker node most of the proxy's upstream connections are on now, or null. */
    String amqpNodeUnderClients();

    /** The Galera writer all routers agreed on, or null while there is none. */
    String dbWriter();

    /** The nodes the router sends reads to now (the writer excluded). */
    List<String> dbReaders();

    /** Whether the sidecar's own view has {@code node} usable again (AMQP UP, Galera SYNCED and settled). */
    boolean seesUp(String node);

    /** Upstream connections the AMQP proxy has started to recover since it started. */
    long amqpRecoveriesStarted();
}
