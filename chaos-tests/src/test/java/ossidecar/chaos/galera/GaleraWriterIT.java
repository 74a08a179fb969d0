package ossidecar.chaos.galera;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import ossidecar.chaos.SharedClusters;
import ossidecar.chaos.galera.Routers.Router;
import ossidecar.chaos.harness.Await;
import ossidecar.chaos.harness.GaleraCluster;
import ossidecar.core.config.GaleraMonitorConfig;
import ossidecar.db.galera.GaleraState;
import ossidecar.db.galera.WriterChange;

/**
 * The issue's acceptance for the single writer: "Two router instances on the same cluster
 * report the same writer; after the writer is killed both report the same new writer within
 * 2 s; when the old writer rejoins the writer stays; a third instance started afterwards picks
 * the same writer."
 *
 * <p>The new writer is agreed by a commit, and after a SIGKILL Galera holds every commit until
 * the survivors evict the dead member: {@code evs.suspect_timeout} (5 s by default) plus a view
 * change, about 6.5 s with the defaults measured here, whatever the router does. The 2 s target
 * therefore needs a faster failure detector, which this test sets at run time on every node and
 * restores afterwards ({@link #FAST_EVICTION}); the view change then comes about 1.2 s after the
 * kill and both routers agree about 0.1 s later. {@code -Dgalera.it.eviction=evs.suspect_timeout=PT5S}
 * runs it with the defaults (and fails the 2 s assertion, printing the timings).
 */
class GaleraWriterIT {

    private static final Duration AGREEMENT_TARGET = Duration.ofSeconds(2);
    static final String FAST_EVICTION = System.getProperty("galera.it.eviction",
            "evs.keepalive_period=PT0.2S;evs.suspect_timeout=PT0.5S;evs.join_retrans_period=PT0.2S");
    /** Galera's defaults, in an order each step of which is valid. */
    private static final String DEFAULT_EVICTION =
            "evs.suspect_timeout=PT5S;evs.keepalive_period=PT1S;evs.join_retrans_period=PT1S";

    private static final ch.qos.logback.classic.Logger GALERA_LOG =
            (ch.qos.logback.classic.Logger) LoggerFactory.getLogger("ossidecar.db.galera");

    private static GaleraCluster cluster;
    private static Routers routers;
    private static Level galeraLogLevel;

    @BeforeAll
    static void tuneCluster() throws SQLException {
        // Election steps that fail and are retried log at INFO: show them with the timings.
        galeraLogLevel = GALERA_LOG.getLevel();
        GALERA_LOG.setLevel(Level.INFO);
        cluster = SharedClusters.galera();
        routers = new Routers(cluster);
        for (int i = 1; i <= cluster.size(); i++) {
            setProviderOptions(i, FAST_EVICTION);
        }
    }

    /** The shared cluster goes to the next test as found: 3 Synced nodes, Galera's default timeouts. */
    @AfterAll
    static void restoreCluster() {
        GALERA_LOG.setLevel(galeraLogLevel);
        try {
            if (routers != null) {
                routers.close();
            }
        } finally {
            if (cluster != null) {
                Routers.heal(cluster);
                for (int i = 1; i <= cluster.size(); i++) {
                    try {
                        setProviderOptions(i, DEFAULT_EVICTION);
                    } catch (SQLException e) {
                        System.out.println("cannot restore wsrep_provider_options on node " + i + ": " + e);
                    }
                }
            }
        }
    }

    /** One option per statement: a list is refused as a whole when one option is not dynamic. */
    private static void setProviderOptions(int node, String options) throws SQLException {
        try (Connection c = cluster.connect(node); Statement s = c.createStatement()) {
            for (String option : options.split(";")) {
                s.execute("SET GLOBAL wsrep_provider_options = '" + option + "'");
            }
        }
    }

    /** sidecar.writer as node {@code node} sees it after catching up: {@code <wsrep_node_name>@<epoch>}. */
    private static String tableRow(int node) throws SQLException {
        try (Connection c = cluster.connect(node); Statement s = c.createStatement()) {
            s.execute("SET SESSION wsrep_sync_wait = 1");
            try (ResultSet rs = s.executeQuery("SELECT node, epoch FROM sidecar.writer WHERE id = 1")) {
                return rs.next() ? rs.getString(1) + "@" + rs.getLong(2) : null;
            }
        }
    }

    /** The harness names servers node1..n: the server name of config node galera-i. */
    private static String serverName(String node) {
        return "node" + Routers.index(node);
    }

    private static long ms(AtomicLong at, long since) {
        return at.get() == 0 ? -1 : (at.get() - since) / 1_000_000;
    }

    /** All report the same writer and epoch, and the writer is not {@code notThis}. */
    private static boolean agree(List<Router> rs, String notThis) {
        String w = rs.get(0).writer();
        long epoch = rs.get(0).topology().epoch();
        if (w == null || w.equals(notThis)) {
            return false;
        }
        for (Router r : rs) {
            if (!w.equals(r.writer()) || r.topology().epoch() != epoch) {
                return false;
            }
        }
        return true;
    }

    /** Samples {@code wsrep_cluster_size} every 20 ms until it is {@code size}; returns when (nanoTime). */
    private static long awaitClusterSize(Connection c, int size) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        try (Statement s = c.createStatement()) {
            while (System.nanoTime() < deadline) {
                try (ResultSet rs = s.executeQuery("SHOW GLOBAL STATUS LIKE 'wsrep_cluster_size'")) {
                    if (rs.next() && rs.getInt(2) == size) {
                        return System.nanoTime();
                    }
                }
                Thread.sleep(20); // the sampling period of a measurement, not a wait for a condition
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        throw new IllegalStateException("wsrep_cluster_size never became " + size);
    }

    @Test
    void routersAgreeFailOverTogetherWithoutFailbackAndALateStarterFollows() throws SQLException {
        Router a = routers.start("router-a");
        Router b = routers.start("router-b");
        List<Router> ab = List.of(a, b);
        Await.until(Duration.ofSeconds(10), () -> agree(ab, null), () -> "a and b to agree: " + a + " / " + b);
        String first = a.writer();
        long firstEpoch = a.topology().epoch();
        assertTrue(firstEpoch >= 1, "epoch " + firstEpoch);
        assertEquals(serverName(first) + "@" + firstEpoch, tableRow(Routers.index(first)));
        System.out.printf("two routers agree: writer %s, epoch %d%n", first, firstEpoch);
        String expectedNext = null;
        for (int i = 1; i <= cluster.size() && expectedNext == null; i++) {
            if (!Routers.name(i).equals(first)) {
                expectedNext = Routers.name(i);
            }
        }

        // Kill the writer; measure until both report the same, new writer.
        List<WriterChange> changesA = new CopyOnWriteArrayList<>();
        List<WriterChange> changesB = new CopyOnWriteArrayList<>();
        AtomicLong changedA = new AtomicLong();
        AtomicLong changedB = new AtomicLong();
        a.topology().election().onChange(ch -> {
            changesA.add(ch);
            changedA.compareAndSet(0, System.nanoTime());
        });
        b.topology().election().onChange(ch -> {
            changesB.add(ch);
            changedB.compareAndSet(0, System.nanoTime());
        });
        AtomicLong downA = a.whenEnters(first, GaleraState.DOWN);
        AtomicLong downB = b.whenEnters(first, GaleraState.DOWN);
        int survivor = Routers.index(expectedNext);
        long killed;
        long viewChanged;
        try (Connection watch = cluster.connect(survivor)) {
            CompletableFuture<Long> viewChange = CompletableFuture.supplyAsync(() -> awaitClusterSize(watch, 2));
            cluster.node(Routers.index(first)).kill();
            killed = System.nanoTime();
            Await.until(Duration.ofSeconds(30), () -> agree(ab, first),
                    () -> "a and b to agree on a new writer: " + a + " / " + b);
            viewChanged = viewChange.join();
        }
        long agreedMs = (Math.max(changedA.get(), changedB.get()) - killed) / 1_000_000;
        String second = a.writer();
        long secondEpoch = a.topology().epoch();
        System.out.printf("writer %s killed: DOWN for a after %d ms, for b after %d ms; %s saw the view without it"
                + " after %d ms; a changed to %s after %d ms, b after %d ms: both agree (epoch %d) %d ms after the"
                + " kill (target %d ms)%n", first, ms(downA, killed), ms(downB, killed), expectedNext,
                (viewChanged - killed) / 1_000_000, second, ms(changedA, killed), ms(changedB, killed), secondEpoch,
                agreedMs, AGREEMENT_TARGET.toMillis());
        assertEquals(expectedNext, second, "the next node by priority");
        assertEquals(firstEpoch + 1, secondEpoch, "exactly one change");
        assertEquals(1, changesA.size(), "one change seen by a: " + changesA);
        assertEquals(1, changesB.size(), "one change seen by b: " + changesB);
        assertNotNull(changesA.get(0).reason());
        assertTrue(agreedMs <= AGREEMENT_TARGET.toMillis(), "agreed after " + agreedMs + " ms");

        // The old writer rejoins: the writer stays. It takes its state from the third node: a node
        // serving a state transfer is Donor/Desynced, and the router moves the writer off a donor
        // (seen once when Galera picked the writer as donor); operators steer with wsrep_sst_donor.
        int third = 6 - Routers.index(first) - Routers.index(second);
        cluster.restartWithDonor(Routers.index(first), third);
        for (Router r : ab) {
            Await.until(Duration.ofSeconds(30), () -> r.state(first) == GaleraState.SYNCED,
                    () -> r.name() + " to see " + first + " SYNCED: " + r);
        }
        // It came back: it may not take the role until it has been SYNCED for the settle time (issue #11 item 7)
        long syncedSeenAt = System.nanoTime();
        assertEquals(Boolean.TRUE, nodeStatus(a, first).get("returned"), "returned: " + nodeStatus(a, first));
        assertEquals(Boolean.FALSE, nodeStatus(a, first).get("settled"), "settling: " + nodeStatus(a, first));
        long pollsA = a.polls(first);
        long pollsB = b.polls(first);
        // Several more polls, each followed by an election cycle, with the old writer SYNCED.
        Await.until(Duration.ofSeconds(10), () -> a.polls(first) >= pollsA + 6 && b.polls(first) >= pollsB + 6,
                "6 more polls of " + first);
        assertEquals(second, a.writer(), "no failback");
        assertEquals(second, b.writer(), "no failback");
        assertEquals(secondEpoch, a.topology().epoch());
        assertEquals(secondEpoch, b.topology().epoch());
        assertEquals(1, changesA.size(), "still one change seen by a: " + changesA);
        assertEquals(1, changesB.size(), "still one change seen by b: " + changesB);
        assertEquals(1.0, a.meters().counter("sidecar.db.writer.changes").count());
        assertEquals(1.0, b.meters().counter("sidecar.db.writer.changes").count());
        assertEquals((double) secondEpoch, a.meters().get("sidecar.db.writer.epoch").gauge().value());
        assertEquals(serverName(second) + "@" + secondEpoch, tableRow(Routers.index(first)));

        Await.until(GaleraMonitorConfig.DEFAULT_SETTLE.plusSeconds(5),
                () -> Boolean.TRUE.equals(nodeStatus(a, first).get("settled")), () -> "settled: " + nodeStatus(a, first));
        System.out.printf("rejoined %s settled %d ms after both routers saw it SYNCED (settle %s)%n", first,
                java.util.concurrent.TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - syncedSeenAt),
                GaleraMonitorConfig.DEFAULT_SETTLE);
        assertEquals(second, a.writer(), "settled, it still does not take the role back");

        // A third instance started now picks the same writer.
        Router c = routers.start("router-c");
        Await.until(Duration.ofSeconds(10), () -> second.equals(c.writer()), () -> "c to pick " + second + ": " + c);
        assertEquals(secondEpoch, c.topology().epoch());
        assertEquals(0.0, c.meters().counter("sidecar.db.writer.changes").count(), "c saw no change");
        Await.until(Duration.ofSeconds(10), () -> nodeStatus(c, first).get("settled") != null, "c polled " + first);
        assertEquals(Boolean.FALSE, nodeStatus(c, first).get("returned"), "SYNCED when c first saw it: settled at once");
        assertTrue(agree(List.of(a, b, c), first));
        System.out.printf("old writer %s rejoined, writer stays %s (epoch %d); late starter c: %s%n", first, second,
                secondEpoch, c.topology().status());

        for (int i = 1; i <= cluster.size(); i++) {
            assertTrue(cluster.node(i).isRunning(), "node " + i + " running");
            assertEquals(cluster.size(), cluster.clusterSize(i), "node " + i + " sees every member");
        }
    }

    @SuppressWarnings("unchecked")
    private static java.util.Map<String, Object> nodeStatus(Router r, String node) {
        for (java.util.Map<String, Object> n : (List<java.util.Map<String, Object>>) r.topology().status().get("nodes")) {
            if (node.equals(n.get("node"))) {
                return n;
            }
        }
        throw new AssertionError("no node " + node + " in " + r.topology().status());
    }
}
