package ossidecar.chaos.harness;

import java.time.Duration;

/** One server node of a harness cluster, whatever its kind. */
public interface ClusterNode {

    /** Short harness name, such as {@code rabbit-2} or {@code galera-3}. */
    String name();

    /** The port clients connect to (AMQP or SQL) on 127.0.0.1. */
    int port();

    /**
     * Starts the node process (joining the running cluster when restarted) without waiting for
     * it to be ready; see {@link #awaitReady(Duration)}.
     */
    void start();

    /** Clean stop: SIGTERM to the process group, bounded wait, then SIGKILL. */
    void stop();

    /** SIGKILL to the whole process group: a crash. */
    void kill();

    /** SIGSTOP to the whole process group: a hung node. */
    void pause();

    /** SIGCONT to the whole process group. */
    void resume();

    /**
     * Waits until the node serves clients and is a synced member of its cluster. Throws, with
     * the tail of the node's log in the message, when the timeout passes or the process exits.
     */
    void awaitReady(Duration timeout);

    /** The node's process is alive (it may be paused). */
    boolean isRunning();

    /** The node's process is stopped by SIGSTOP. */
    boolean isPaused();

    /** The last {@code lines} lines of the node's log. */
    String logTail(int lines);

    /** {@link #start()} then {@link #awaitReady(Duration)}. */
    default void startAndAwaitReady(Duration timeout) {
        start();
        awaitReady(timeout);
    }
}
