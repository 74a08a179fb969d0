package ossidecar.chaos.suite;

import java.util.List;

/** Which node a fault hits, chosen when it is injected: the worst one for the traffic. */
public enum Target {
    /** The broker node under most of the AMQP proxy's upstream connections. */
    AMQP_UNDER_CLIENTS,
    /** Every broker node the AMQP proxy knows. */
    AMQP_ALL,
    /** The Galera writer the routers agreed on. */
    DB_WRITER,
    /** A Galera node the router sends reads to. */
    DB_READER;

    /** The node names this target means now, or an empty list when there is none. */
    List<String> resolve(SystemUnderTest sut, Deployment d) {
        String one = switch (this) {
            case AMQP_UNDER_CLIENTS -> sut.amqpNodeUnderClients();
            case DB_WRITER -> sut.dbWriter();
            case DB_READER -> sut.dbReaders().isEmpty() ? null : sut.dbReaders().get(0);
            case AMQP_ALL -> null;
        };
        if (this == AMQP_ALL) {
            return d.sidecarConfig().amqp().nodes().stream().map(n -> n.name()).toList();
        }
        return one == null ? List.of() : List.of(one);
    }
}
