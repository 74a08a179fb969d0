package ossidecar.chaos.suite;

/** What the suite can do to a node's process. */
public enum NodeAction {
    KILL, PAUSE, RESUME, STOP, START
}
