package ossidecar.chaos.galera;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import ossidecar.chaos.SharedClusters;
import ossidecar.chaos.galera.Routers.Router;
import ossidecar.chaos.harness.Await;
import ossidecar.chaos.harness.GaleraCluster;
import ossidecar.core.config.GaleraMonitorConfig;
import ossidecar.db.galera.GaleraState;
import ossidecar.db.galera.NodeStatus;

/**
 * The Galera monitor against the shared 3-node cluster: Synced, hung (SIGSTOP), killed, back.
 * Faults hit nodes other than the agreed writer, so the writer stays put for later tests.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class GaleraMonitorIT {

    private static final Duration INTERVAL = GaleraMonitorConfig.DEFAULT_INTERVAL;
    private static final Duration QUERY_TIMEOUT = GaleraMonitorConfig.DEFAULT_QUERY_TIMEOUT;
    /** The bound for a hung node: the next poll, its timeout, and a second of slack. */
    private static final Duration HUNG_DETECTION = INTERVAL.plus(QUERY_TIMEOUT).plusSeconds(1);
    private static final Duration REJOIN = Duration.ofSeconds(120);

    private static GaleraCluster cluster;
    private static Routers routers;

    @BeforeAll
    static void startCluster() {
        cluster = SharedClusters.galera();
        routers = new Routers(cluster);
    }

    @AfterAll
    static void leaveClusterReady() {
        if (routers != null) {
            routers.close();
        }
        if (cluster != null) {
            Routers.heal(cluster);
        }
    }

    /** Each test leaves every node running and Synced, even when it fails half-way. */
    @AfterEach
    void healCluster() {
        routers.close();
        Routers.heal(cluster);
    }

    /** Waits for {@code at} to be filled; returns milliseconds from {@code since} (nanoTime). */
    private static long awaitMillis(AtomicLong at, long since, Duration timeout, String what) {
        Await.until(timeout, () -> at.get() != 0, what);
        return (at.get() - since) / 1_000_000;
    }

    private static long awaitState(Router r, String node, GaleraState state, Duration timeout) {
        long started = System.nanoTime();
        Await.until(timeout, () -> r.state(node) == state,
                () -> node + " to be " + state + " for " + r.name() + ", is " + r.topology().monitor().node(node));
        return (System.nanoTime() - started) / 1_000_000;
    }

    /** A router that has polled every node SYNCED and agreed on a writer. */
    private static Router startSynced(String name, Duration interval) {
        Router r = routers.start(name, interval, QUERY_TIMEOUT);
        for (int i = 1; i <= cluster.size(); i++) {
            awaitState(r, Routers.name(i), GaleraState.SYNCED, Duration.ofSeconds(10));
        }
        Await.until(Duration.ofSeconds(10), () -> r.writer() != null, () -> "a writer for " + r);
        return r;
    }

    /** The highest-numbered node that is not {@code writer}, skipping {@code except}. */
    private static String victim(String writer, String except) {
        for (int i = cluster.size(); i >= 1; i--) {
            String n = Routers.name(i);
            if (!n.equals(writer) && !n.equals(except)) {
                return n;
            }
        }
        throw new IllegalStateException("no node to fail besides " + writer + " and " + except);
    }

    @Test
    @Order(1)
    void everyNodeReachesSyncedAndIsReported() {
        Router r = startSynced("router-a", INTERVAL);
        assertEquals(List.of("galera-1", "galera-2", "galera-3"),
                r.topology().readers().stream().map(n -> n.name()).toList());
        for (int i = 1; i <= 3; i++) {
            String node = Routers.name(i);
            NodeStatus s = r.topology().monitor().node(node);
            assertNotNull(s.last(), "values of the last poll");
            assertEquals("Primary", s.last().clusterStatus());
            assertEquals(3, s.last().clusterSize());
            assertEquals("node" + i, s.last().nodeName());
            assertEquals(GaleraState.SYNCED, r.registry().node(node).state(), "NodeHealth follows");
            Await.until(Duration.ofSeconds(5), () -> r.polls(node) >= 3, node + " polled 3 times");
        }
        Map<String, Object> status = r.topology().status();
        System.out.println("/status: " + status);
        assertEquals(3, ((List<?>) status.get("nodes")).size());
        assertEquals(r.writer(), status.get("writer"));
        assertEquals("sidecar.writer", status.get("writer_source"));
        long epoch = (Long) status.get("epoch");
        assertTrue(epoch >= 1, "epoch " + epoch);
        assertEquals((double) epoch, r.meters().get("sidecar.db.writer.epoch").gauge().value());
        assertTrue(r.meters().get("sidecar.db.monitor.latency").tag("node", "galera-2").timer().count() >= 3);
    }

    @Test
    @Order(2)
    void aHungNodeIsDownWithinIntervalPlusQueryTimeoutAndSyncedAfterResume() {
        Router r = startSynced("router-a", INTERVAL);
        String writer = r.writer();
        String hung = victim(writer, null);
        AtomicLong down = r.whenEnters(hung, GaleraState.DOWN);
        cluster.node(Routers.index(hung)).pause();
        long downMs = awaitMillis(down, System.nanoTime(), HUNG_DETECTION.plusSeconds(5), hung + " DOWN");
        System.out.printf("hung node %s (SIGSTOP) marked DOWN after %d ms (bound %d ms): %s%n", hung, downMs,
                HUNG_DETECTION.toMillis(), r.topology().monitor().node(hung).reason());
        assertTrue(downMs <= HUNG_DETECTION.toMillis(), "DOWN after " + downMs + " ms");
        assertEquals(writer, r.writer(), "the writer is not the hung node and stays");
        assertEquals(GaleraState.SYNCED, r.state(writer));

        AtomicLong back = r.whenEnters(hung, GaleraState.SYNCED);
        cluster.node(Routers.index(hung)).resume();
        long backMs = awaitMillis(back, System.nanoTime(), REJOIN, hung + " SYNCED again");
        System.out.printf("resumed node %s SYNCED again after %d ms%n", hung, backMs);
        assertEquals(GaleraState.SYNCED, r.registry().node(hung).state());
    }

    @Test
    @Order(3)
    void aKilledNodeIsDownAtOnceAndSyncedAfterRestart() {
        Router r = startSynced("router-a", INTERVAL);
        // A second instance polling only every 10 s: a reported connection failure must not wait for it.
        Router slow = startSynced("router-slow", Duration.ofSeconds(10));
        String writer = r.writer();
        String killedNode = victim(writer, null);
        AtomicLong down = r.whenEnters(killedNode, GaleraState.DOWN);
        AtomicLong slowDown = slow.whenEnters(killedNode, GaleraState.DOWN);
        cluster.node(Routers.index(killedNode)).kill();
        long killed = System.nanoTime();
        slow.topology().monitor().reportFailure(killedNode);
        long downMs = awaitMillis(down, killed, Duration.ofSeconds(5), killedNode + " DOWN for router-a");
        long slowDownMs = awaitMillis(slowDown, killed, Duration.ofSeconds(5), killedNode + " DOWN for router-slow");
        System.out.printf("killed node %s marked DOWN after %d ms (interval %d ms); with a 10 s interval, after"
                + " a reported failure: %d ms: %s%n", killedNode, downMs, INTERVAL.toMillis(), slowDownMs,
                r.topology().monitor().node(killedNode).reason());
        assertTrue(downMs <= INTERVAL.toMillis() + 1000, "DOWN after " + downMs + " ms");
        assertTrue(slowDownMs < 1000, "reported failure: DOWN after " + slowDownMs + " ms");
        assertTrue(r.topology().readers().stream().noneMatch(n -> n.name().equals(killedNode)), "not a reader");
        assertEquals(writer, r.writer(), "the writer stays");

        AtomicLong back = r.whenEnters(killedNode, GaleraState.SYNCED);
        long restarting = System.nanoTime();
        cluster.restart(Routers.index(killedNode));
        long harnessMs = (System.nanoTime() - restarting) / 1_000_000;
        long backMs = awaitMillis(back, restarting, REJOIN, killedNode + " SYNCED again");
        System.out.printf("restarted node %s: SYNCED for the monitor %d ms after the restart began (the harness"
                + " saw it Synced after %d ms)%n", killedNode, backMs, harnessMs);
        Await.until(Duration.ofSeconds(15), () -> slow.state(killedNode) == GaleraState.SYNCED,
                () -> "router-slow to see " + killedNode + " SYNCED");
    }
}
