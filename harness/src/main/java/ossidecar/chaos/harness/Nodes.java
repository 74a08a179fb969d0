package ossidecar.chaos.harness;

import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Operations on several cluster nodes at once. */
final class Nodes {

    private static final Logger LOG = LoggerFactory.getLogger(Nodes.class);

    private Nodes() {
    }

    /** Node {@code i} of {@code nodes}, counting from 1 as the harness names nodes. */
    static <N extends ClusterNode> N oneBased(List<N> nodes, int i) {
        if (i < 1 || i > nodes.size()) {
            throw new IndexOutOfBoundsException("node " + i + " of " + nodes.size());
        }
        return nodes.get(i - 1);
    }

    /** Stops every running node, all in parallel; returns when all stop() calls returned. */
    static void stopAll(List<? extends ClusterNode> nodes) {
        List<Thread> stoppers = new ArrayList<>();
        for (ClusterNode node : nodes) {
            if (node.isRunning()) {
                Thread t = new Thread(() -> {
                    try {
                        node.stop();
                    } catch (RuntimeException e) {
                        LOG.warn("{}: stop failed", node.name(), e);
                    }
                }, "stop-" + node.name());
                t.start();
                stoppers.add(t);
            }
        }
        boolean interrupted = false;
        for (Thread t : stoppers) {
            while (true) {
                try {
                    t.join();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true; // finish stopping anyway: cleanup must complete
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
