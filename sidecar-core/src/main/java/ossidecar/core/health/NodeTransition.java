package ossidecar.core.health;

import java.time.Duration;
import java.time.Instant;

/** One change of a node's state, with how long the previous state lasted. */
public record NodeTransition(String proxy, String node, NodeState from, NodeState to, String reason,
                             Instant at, Duration previousLasted) {
}
