/**
 * The Galera side of the DB router: a monitor that polls every node's wsrep status and a writer
 * election that keeps every router instance on the same writer.
 *
 * <p><b>Monitor.</b> {@link ossidecar.db.galera.GaleraMonitor} polls each node through its own
 * small HikariCP pool on its own thread, never on a Netty event loop, in one round trip
 * ({@link ossidecar.db.galera.GaleraStatus#QUERY}). The pure
 * {@link ossidecar.db.galera.StateClassifier} turns the values into a
 * {@link ossidecar.db.galera.GaleraState}; a failed or timed-out poll is DOWN at once.
 *
 * <p><b>Writer.</b> Galera is itself a consensus system, so the agreed writer lives in a one-row
 * table, {@code sidecar.writer (id = 1, node, epoch, changed_at)}, that every router re-reads
 * each cycle and changes only by compare-and-swap on the epoch, run on the node that becomes
 * the writer (so the change can only commit in the primary component, and certification lets
 * one of two concurrent changes win). It changes only when the current writer is not
 * {@link ossidecar.db.galera.GaleraState#SYNCED}, so a node that comes back never takes the
 * role back. {@code node} holds the server's own {@code wsrep_node_name}, not a router's config
 * name, so routers whose configs name the nodes differently still agree. When the table can
 * not be used (missing privileges, read-only) the writer is the SYNCED node with the lowest
 * {@code wsrep_local_index} (MaxScale galeramon's rule), which all routers that see the same
 * view agree on but which may move back when a node rejoins.
 *
 * <p>{@link ossidecar.db.galera.GaleraTopology} owns both and reports them for {@code /status}.
 */
package ossidecar.db.galera;
