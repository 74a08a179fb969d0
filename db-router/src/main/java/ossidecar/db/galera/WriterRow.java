package ossidecar.db.galera;

/**
 * The row of {@code sidecar.writer}: the agreed writer and the number of changes so far.
 *
 * @param node the writer's {@code wsrep_node_name}
 * @param epoch 1 for the first writer, +1 per change
 */
record WriterRow(String node, long epoch) {
}
