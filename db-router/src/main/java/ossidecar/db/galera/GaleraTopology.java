package ossidecar.db.galera;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import ossidecar.core.config.BackendNode;
import ossidecar.core.config.DbRouterConfig;
import ossidecar.core.config.GaleraMonitorConfig;
import ossidecar.core.health.NodeRegistry;

/**
 * The DB router's view of the Galera cluster: owns the {@link GaleraMonitor} and the
 * {@link WriterElection}, starts and stops them together, and reports both for {@code /status}.
 * The router reads the writer through {@link #writer()} (a {@code WriterSource} as
 * {@code topology::writer}) and readers through {@link #readers()}.
 */
public final class GaleraTopology implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(GaleraTopology.class);
    /** Changes and DDL may wait out a view change: at least this long, or 4 query timeouts. */
    static final Duration MIN_WRITE_TIMEOUT = Duration.ofSeconds(2);

    private final GaleraMonitor monitor;
    private final WriterElection election;
    private final CommitMarkerTable commitMarkers;

    private GaleraTopology(GaleraMonitor monitor, WriterElection election, CommitMarkerTable commitMarkers) {
        this.monitor = monitor;
        this.election = election;
        this.commitMarkers = commitMarkers;
    }

    /**
     * Starts monitoring {@code config.nodes()} (their order is the writer priority) with the
     * monitor account, and the writer election. Waits, at most two query timeouts plus a second,
     * for the first writer decision, so a router started right after has a writer; returns
     * anyway when the cluster does not answer (the writer appears when it does).
     */
    public static GaleraTopology start(DbRouterConfig config, NodeRegistry registry, MeterRegistry meters) {
        return start(config, registry, meters, Clock.systemUTC());
    }

    public static GaleraTopology start(DbRouterConfig config, NodeRegistry registry, MeterRegistry meters,
            Clock clock) {
        List<BackendNode> nodes = config.nodes();
        if (nodes.isEmpty()) {
            throw new IllegalArgumentException("db router has no nodes: the Galera monitor needs at least one");
        }
        if (nodes.stream().map(BackendNode::name).distinct().count() != nodes.size()) {
            throw new IllegalArgumentException("db router node names must be unique: " + nodes);
        }
        GaleraMonitor.Settings settings = GaleraMonitor.Settings.of(config.monitor());
        Duration writeTimeout = max(MIN_WRITE_TIMEOUT, settings.queryTimeout().multipliedBy(4));
        GaleraMonitor monitor = GaleraMonitor.start(nodes, config.monitor(), registry, meters, clock);
        WriterElection election;
        try {
            election = new WriterElection(monitor::nodes, new WriterTable(monitor, writeTimeout), settings.interval(),
                    meters, monitor::reportFailure, clock, config.monitor().settle() == null
                            ? GaleraMonitorConfig.DEFAULT_SETTLE : config.monitor().settle());
        } catch (RuntimeException e) {
            monitor.close();
            throw e;
        }
        monitor.onStateChange(election::requestCycle);
        election.start();
        GaleraTopology topology = new GaleraTopology(monitor, election,
                new CommitMarkerTable(monitor, election::writer, writeTimeout));
        Duration firstWait = settings.queryTimeout().multipliedBy(2).plusSeconds(1);
        try {
            if (!election.awaitFirstDecision(firstWait)) {
                LOG.warn("galera: no writer decided within {} ms of start; routing waits for the cluster",
                        firstWait.toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return topology;
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    /** The agreed writer while this router sees it SYNCED, else null. Safe on an event loop. */
    public BackendNode writer() {
        return election.writer();
    }

    /** The agreed writer's epoch (0: none, or chosen by the fallback rule). */
    public long epoch() {
        return election.epoch();
    }

    /**
     * Nodes that may serve reads now, in priority order: SYNCED or READ_ONLY (not lagging, not a
     * donor or joiner, in the primary component), settled as a writer must be, and preferably not
     * seen sending flow control within the last two polls (Galera's {@code gcs.fc_limit}, 16
     * write-sets by default, is reached long before {@code max-recv-queue}: flow control is the
     * first sign that a node cannot keep up). When every reader but the writer sent flow control,
     * they all stay: under a write load every reader may, and the writer alone would then take
     * every read.
     */
    public List<BackendNode> readers() {
        List<BackendNode> out = new ArrayList<>(3);
        List<BackendNode> throttled = new ArrayList<>(0);
        BackendNode writer = election.writer();
        boolean otherReader = false;
        for (NodeStatus n : monitor.nodes()) {
            if (!n.state().available() || !election.settled(n)) {
                continue;
            }
            if (election.throttled(n) && !n.node().equals(writer)) {
                throttled.add(n.node());
                out.add(n.node());
                continue;
            }
            out.add(n.node());
            otherReader |= !n.node().equals(writer);
        }
        if (otherReader) {
            out.removeAll(throttled);
        }
        return out;
    }

    public GaleraMonitor monitor() {
        return monitor;
    }

    public WriterElection election() {
        return election;
    }

    /** Where the router resolves COMMITs whose answer was lost with the writer. */
    public CommitMarkerTable commitMarkers() {
        return commitMarkers;
    }

    /** Writer, epoch, where the writer comes from, and every node's latest status. */
    public Map<String, Object> status() {
        Map<String, Object> m = new LinkedHashMap<>();
        BackendNode writer = election.writer();
        m.put("writer", writer == null ? null : writer.name());
        m.put("writer_node_name", election.writerServerName());
        m.put("epoch", election.epoch());
        m.put("writer_source", switch (election.source()) {
            case TABLE -> "sidecar.writer";
            case LOWEST_LOCAL_INDEX -> "lowest wsrep_local_index (fallback)";
            case NONE -> "none";
        });
        List<Map<String, Object>> nodes = new ArrayList<>();
        for (NodeStatus n : monitor.nodes()) {
            Map<String, Object> node = n.toMap();
            node.put("settled", election.settled(n));
            nodes.add(node);
        }
        m.put("nodes", nodes);
        return m;
    }

    /** Stops the election, then the monitor (threads and pools). */
    @Override
    public void close() {
        commitMarkers.close();
        election.close();
        monitor.close();
    }
}
