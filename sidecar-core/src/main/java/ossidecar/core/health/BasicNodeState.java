package ossidecar.core.health;

/** States of a node known only from connect outcomes and liveness (the AMQP pool's view). */
public enum BasicNodeState implements NodeState {
    /** Not tried yet: new work may go there. */
    UNKNOWN(true),
    UP(true),
    DOWN(false);

    private final boolean available;

    BasicNodeState(boolean available) {
        this.available = available;
    }

    @Override
    public boolean available() {
        return available;
    }
}
