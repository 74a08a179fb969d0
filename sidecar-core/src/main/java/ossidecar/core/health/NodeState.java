package ossidecar.core.health;

/**
 * A backend node's state as a proxy sees it. Each proxy has its own enum (the AMQP pool's
 * {@link BasicNodeState}, the Galera monitor's wsrep-derived states); what all share is
 * whether the node may take new work.
 */
public interface NodeState {
    String name();

    /** True when the proxy may send new connections or statements to the node. */
    boolean available();
}
