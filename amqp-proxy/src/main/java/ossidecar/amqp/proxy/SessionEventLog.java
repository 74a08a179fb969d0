package ossidecar.amqp.proxy;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import ossidecar.amqp.recovery.ProxiedSession;

/** A client session's failover events, to the proxy's metrics and the log under the connection's id. */
final class SessionEventLog implements ProxiedSession.Events {
    private static final Logger LOG = LoggerFactory.getLogger(ClientConnection.class);

    private final String id;
    private final AmqpProxyMetrics metrics;
    private long republished;

    SessionEventLog(String id, AmqpProxyMetrics metrics) {
        this.id = id;
        this.metrics = metrics;
    }

    /** Publishes this connection sent again after failovers, in total. */
    long republished() {
        return republished;
    }

    @Override
    public void acksAbsorbed(int count) {
        metrics.acksAbsorbed.increment(count);
    }

    @Override
    public void republished(int count) {
        republished += count;
        metrics.republished.increment(count);
    }

    @Override
    public void keptBytesChanged(long delta) {
        metrics.publishBufferBytes.addAndGet(delta);
    }

    @Override
    public void serverCancelDropped(int channel, String consumerTag) {
        LOG.info("[{}] broker cancelled consumer '{}' on channel {}; the client did not advertise "
                + "consumer_cancel_notify, so it is not told", id, consumerTag, channel);
    }

    @Override
    public void transactionLost(int channel) {
        LOG.warn("[{}] channel {}: uncommitted transaction lost in failover; closing the channel with 406", id, channel);
    }

    @Override
    public void reopenedForTx(int channel) {
        LOG.info("[{}] channel {}: reopened upstream (out of the proxy's confirm mode) for the client's tx.select; "
                + "unacked deliveries are redelivered", id, channel);
    }

    @Override
    public void notReopenedForTx(int channel) {
        LOG.warn("[{}] channel {}: tx.select after publishing on a channel consuming an auto-delete queue; reopening "
                + "it would delete the queue, so the broker's 406 goes to the client", id, channel);
    }
}
