package ossidecar.chaos.harness;

import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One RabbitMQ node of a {@link RabbitCluster}: {@code rabbitmq-server} run directly (not
 * through the Debian service), logging to the console, which goes to {@code <dir>/node.log}.
 */
public final class RabbitNode implements ClusterNode {

    private static final Logger LOG = LoggerFactory.getLogger(RabbitNode.class);
    private static final Duration STOP_GRACE = Duration.ofSeconds(30);

    private final String name;
    private final String nodeName;
    private final int amqpPort;
    private final int distPort;
    private final Path dir;
    private final NodeProcess process;
    private volatile long startedNanos = System.nanoTime();

    RabbitNode(String name, String nodeName, int amqpPort, int distPort, Path dir, NodeProcess process) {
        this.name = name;
        this.nodeName = nodeName;
        this.amqpPort = amqpPort;
        this.distPort = distPort;
        this.dir = dir;
        this.process = process;
    }

    @Override
    public String name() {
        return name;
    }

    /** Erlang node name, such as {@code rabbit-k3x9q-2@localhost}. */
    public String nodeName() {
        return nodeName;
    }

    @Override
    public int port() {
        return amqpPort;
    }

    public int amqpPort() {
        return amqpPort;
    }

    /** Erlang distribution port (inter-node and CLI traffic). */
    public int distPort() {
        return distPort;
    }

    /** The node's directory (config, mnesia, logs). */
    public Path dir() {
        return dir;
    }

    /** The node's OS process (pid, process tree). */
    public NodeProcess process() {
        return process;
    }

    @Override
    public void start() {
        LOG.info("{} ({}): starting, AMQP port {}", name, nodeName, amqpPort);
        startedNanos = System.nanoTime();
        process.start();
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

    /** Ready = the AMQP port completes a handshake (guest, from loopback); RabbitMQ opens its
     * listeners only after the node has booted and synced its schema with the cluster. */
    @Override
    public void awaitReady(Duration timeout) {
        try {
            Await.until(timeout, () -> !process.isAlive() || amqpHandshakeSucceeds(),
                    () -> name + " to accept AMQP connections on port " + amqpPort);
        } catch (Await.TimeoutException e) {
            throw new IllegalStateException(e.getMessage() + "; last log lines:" + System.lineSeparator()
                    + logTail(40), e);
        }
        if (!process.isAlive()) {
            throw new IllegalStateException(name + " exited (code " + process.exitCode() + ") before"
                    + " becoming ready; last log lines:" + System.lineSeparator() + logTail(40));
        }
        LOG.info("{}: ready, {} ms after start", name, (System.nanoTime() - startedNanos) / 1_000_000);
    }

    private boolean amqpHandshakeSucceeds() {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost("127.0.0.1");
        factory.setPort(amqpPort);
        factory.setUsername("guest");
        factory.setPassword("guest");
        factory.setConnectionTimeout(1000);
        factory.setHandshakeTimeout(3000);
        factory.setAutomaticRecoveryEnabled(false);
        try (Connection connection = factory.newConnection("harness-readiness")) {
            return connection.isOpen();
        } catch (IOException | TimeoutException e) {
            return false;
        }
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

    @Override
    public String toString() {
        return name + "(" + nodeName + ", amqp " + amqpPort + ")";
    }
}
