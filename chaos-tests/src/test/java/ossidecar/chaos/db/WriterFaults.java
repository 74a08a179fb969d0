package ossidecar.chaos.db;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import ossidecar.chaos.harness.Await;
import ossidecar.chaos.harness.GaleraCluster;
import ossidecar.chaos.toxiproxy.ProxiedNodes;
import ossidecar.chaos.toxiproxy.ToxiproxyEndpoint;

/**
 * Faults of the router's current writer for the DB failover tests, and the cleanup each test
 * owes the shared cluster: every node running, resumed, Synced, in a 3-node view, no toxics.
 *
 * <p>For {@link Fault#BLACKHOLE} the router must reach the nodes through a Toxiproxy (one per
 * node, {@link #port(int)}): the node itself stays a healthy cluster member, only the router's
 * path to it (sessions and monitor alike) goes silent.
 */
final class WriterFaults implements AutoCloseable {

    /** The faults of the acceptance. */
    enum Fault {
        /** SIGKILL to the node's process group: a crash. */
        KILL,
        /** SIGSTOP: a hung node, resumed after the check or after {@link #PAUSE_LIMIT}. */
        PAUSE,
        /** A clean shutdown (SIGTERM): the node leaves the cluster view at once. */
        STOP,
        /** Toxiproxy timeout toxic (0) both ways between the router and the node. */
        BLACKHOLE;

        boolean viaToxiproxy() {
            return this == BLACKHOLE;
        }
    }

    /** A paused node is resumed after this even if the test is still waiting for something. */
    static final Duration PAUSE_LIMIT = Duration.ofSeconds(20);
    private static final Duration REJOIN = Duration.ofSeconds(180);

    private final GaleraCluster cluster;
    private final ToxiproxyEndpoint toxiproxy;
    private final ProxiedNodes proxied;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "writer-fault-timer");
        t.setDaemon(true);
        return t;
    });
    private ScheduledFuture<?> autoResume;
    private int faulted;
    private Fault fault;

    private WriterFaults(GaleraCluster cluster, ToxiproxyEndpoint toxiproxy, ProxiedNodes proxied) {
        this.cluster = cluster;
        this.toxiproxy = toxiproxy;
        this.proxied = proxied;
    }

    /** Faults on the node processes; the router connects to the nodes directly. */
    static WriterFaults direct(GaleraCluster cluster) {
        return new WriterFaults(cluster, null, null);
    }

    /** A Toxiproxy in front of each node; the router must use {@link #port(int)}. */
    static WriterFaults viaToxiproxy(GaleraCluster cluster, String label) throws IOException {
        ToxiproxyEndpoint toxiproxy = ToxiproxyEndpoint.start();
        try {
            return new WriterFaults(cluster, toxiproxy, ProxiedNodes.create(toxiproxy,
                    "db-" + label + "-" + Long.toHexString(System.nanoTime()), cluster.nodes()));
        } catch (RuntimeException e) {
            toxiproxy.close();
            throw e;
        }
    }

    static WriterFaults forFault(GaleraCluster cluster, Fault fault, String label) throws IOException {
        return fault.viaToxiproxy() ? viaToxiproxy(cluster, label) : direct(cluster);
    }

    /** The port the router uses for node {@code i}. */
    int port(int i) {
        return proxied == null ? cluster.port(i) : proxied.port(i);
    }

    /** Config name {@code galera-i} to i. */
    static int index(String nodeName) {
        return Integer.parseInt(nodeName.substring("galera-".length()));
    }

    /** What node {@code galera-i} calls itself ({@code @@wsrep_node_name}). */
    static String serverName(int i) {
        return "node" + i;
    }

    /** The router's writer now, as its config name, or null while it has none. */
    static String writer(RouterUnderTest router) {
        return router.topology.writer() == null ? null : router.topology.writer().name();
    }

    /** Waits until the router has a writer that is not {@code old}; returns its index. */
    static int awaitNewWriter(RouterUnderTest router, String old, Duration timeout) {
        Await.until(timeout, () -> {
            String w = writer(router);
            return w != null && !w.equals(old);
        }, () -> "the router to pick a writer other than " + old + ": " + router.topology.status());
        return index(writer(router));
    }

    /**
     * Applies {@code f} to node {@code i}; returns {@link System#nanoTime()} right before (a clean
     * stop returns once the process has exited, which takes a while). A
     * paused node is resumed by a timer after {@link #PAUSE_LIMIT} if nobody did before.
     */
    synchronized long inject(Fault f, int i) throws IOException {
        if (fault != null) {
            throw new IllegalStateException(fault + " of galera-" + faulted + " is still in place");
        }
        fault = f;
        faulted = i;
        long at = System.nanoTime();
        switch (f) {
            case KILL -> cluster.node(i).kill();
            case PAUSE -> {
                cluster.node(i).pause();
                autoResume = timer.schedule(this::resumeIfPaused, PAUSE_LIMIT.toMillis(), TimeUnit.MILLISECONDS);
            }
            case STOP -> cluster.node(i).stop();
            case BLACKHOLE -> proxied.faults(i).cutOff();
        }
        return at;
    }

    /** Ends a pause or a blackhole now (the killed or stopped node is brought back by {@link #heal()}). */
    synchronized void release() throws IOException {
        if (fault == Fault.PAUSE) {
            resumeIfPaused();
        } else if (fault == Fault.BLACKHOLE) {
            proxied.faults(faulted).heal();
        }
    }

    private synchronized void resumeIfPaused() {
        if (faulted > 0 && cluster.node(faulted).isPaused()) {
            cluster.node(faulted).resume();
        }
    }

    /**
     * Undoes the fault and waits until every node runs, is Synced, and sees all members: the
     * state the next test of the shared cluster expects. Safe to call more than once.
     */
    synchronized void heal() {
        if (autoResume != null) {
            autoResume.cancel(false);
            autoResume = null;
        }
        if (proxied != null) {
            for (int i = 1; i <= cluster.size(); i++) {
                try {
                    proxied.faults(i).heal();
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot heal the proxy of galera-" + i, e);
                }
            }
        }
        healCluster(cluster);
        fault = null;
        faulted = 0;
    }

    /** Every node running, not paused, Synced, and a member of one full view again. */
    static void healCluster(GaleraCluster cluster) {
        cluster.heal(REJOIN);
    }

    @Override
    public void close() {
        try {
            heal();
        } finally {
            timer.shutdownNow();
            if (proxied != null) {
                proxied.close();
            }
            if (toxiproxy != null) {
                toxiproxy.close();
            }
        }
    }
}
