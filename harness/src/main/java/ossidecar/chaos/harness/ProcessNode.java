package ossidecar.chaos.harness;

import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every harness node does the same way through its {@link NodeProcess}: stop, kill,
 * pause, resume, log tail, and waiting until ready with the log tail in the failure. A
 * subclass says how it starts and what "ready" means.
 */
public abstract class ProcessNode implements ClusterNode {
    private static final Logger LOG = LoggerFactory.getLogger(ProcessNode.class);
    private static final Duration STOP_GRACE = Duration.ofSeconds(30);
    private static final int LOG_LINES_ON_FAILURE = 60;

    protected final String name;
    protected final NodeProcess process;
    private volatile long startedNanos = System.nanoTime();

    ProcessNode(String name, NodeProcess process) {
        this.name = name;
        this.process = process;
    }

    @Override
    public String name() {
        return name;
    }

    /** The node's OS process (pid, process tree). */
    public NodeProcess process() {
        return process;
    }

    /** Marks the start time that {@link #awaitReady(Duration)} reports against. */
    protected void started() {
        startedNanos = System.nanoTime();
    }

    /** True once the node serves clients as a synced cluster member; must not throw. */
    protected abstract boolean readyNow();

    /** What the node is waited for, for the timeout message. */
    protected abstract String readiness();

    @Override
    public void awaitReady(Duration timeout) {
        try {
            Await.until(timeout, () -> !process.isAlive() || readyNow(), () -> name + " " + readiness());
        } catch (Await.TimeoutException e) {
            throw new IllegalStateException(e.getMessage() + "; last log lines:" + System.lineSeparator()
                    + logTail(LOG_LINES_ON_FAILURE), e);
        }
        if (!process.isAlive()) {
            throw new IllegalStateException(name + " exited (code " + process.exitCode() + ") before"
                    + " becoming ready; last log lines:" + System.lineSeparator() + logTail(LOG_LINES_ON_FAILURE));
        }
        LOG.info("{}: ready, {} ms after start", name, (System.nanoTime() - startedNanos) / 1_000_000);
    }

    @Override
    public void stop() {
        LOG.info("{}: stopping", name);
        boolean clean = process.stop(STOP_GRACE);
        LOG.info("{}: stopped{}", name, clean ? "" : " (killed after " + STOP_GRACE + ")");
    }

    @Override
    public void kill() {
        process.kill();
        LOG.info("{}: killed (SIGKILL)", name);
    }

    @Override
    public void pause() {
        process.pause();
        LOG.info("{}: paused (SIGSTOP)", name);
    }

    @Override
    public void resume() {
        process.resume();
        LOG.info("{}: resumed (SIGCONT)", name);
    }

    @Override
    public boolean isRunning() {
        return process.isAlive();
    }

    @Override
    public boolean isPaused() {
        return process.isPaused();
    }

    @Override
    public String logTail(int lines) {
        return process.logTail(lines);
    }
}
