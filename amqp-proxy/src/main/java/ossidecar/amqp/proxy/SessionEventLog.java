package ossidecar.amqp.proxy;

import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import ossidecar.amqp.recovery.ProxiedSession;
import ossidecar.amqp.recovery.QueueDeclaration;

/** A client session's failover events, to the proxy's metrics and the log under the connection's id. */
final class SessionEventLog implements ProxiedSession.Events {
    private static final Logger LOG = LoggerFactory.getLogger(ClientConnection.class);

    private final String id;
    private final AmqpProxyMetrics metrics;
    private final RecentNames noticedQueues;
    private final Supplier<String> vhost;
    private long republished;

    /**
     * @param noticedQueues queues already reported, shared by the proxy's connections so each is
     *                      reported once per process, not once per connection
     * @param vhost         the client's virtual host, known once it opened the connection
     */
    SessionEventLog(String id, AmqpProxyMetrics metrics, RecentNames noticedQueues, Supplier<String> vhost) {
        this.id = id;
        this.metrics = metrics;
        this.noticedQueues = noticedQueues;
        this.vhost = vhost;
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

    /**
     * Counted always; logged once per vhost and queue name when the queue would die with its
     * node: oslo.messaging declares classic queues by default, and RPC requests and replies that
     * sat in them are lost when that node dies, which the proxy cannot prevent but can name.
     */
    @Override
    public void queueDeclared(QueueDeclaration q) {
        metrics.queueDeclared(q);
        String vh = vhost.get();
        if (q.worthANotice() && noticedQueues.firstSighting(vh + "\u0000" + q.queue())) {
            LOG.info("[{}] queue {} in vhost '{}' is {}, {}: its messages are lost if its node dies; set "
                            + "rabbit_quorum_queue=true in oslo.messaging (or a quorum default queue type or a "
                            + "mirroring policy) so it survives a node loss", id,
                    q.queue().isEmpty() ? "(server-named)" : "'" + q.queue() + "'", vh, q.describeType(),
                    q.durable() ? "durable" : "non-durable");
        }
    }

    @Override
    public void reopenedForNacks(int channel, int republished) {
        LOG.info("[{}] channel {}: the broker kept nacking its publishes (a quorum queue client of the channel "
                + "still pointing at a lost leader); reopened the upstream channel and published {} again", id, channel,
                republished);
    }

    @Override
    public void nacksRetried(int count) {
        metrics.nacksRetried.increment(count);
    }

    @Override
    public void nacksPassedOn(int count) {
        metrics.nacksPassedOn.increment(count);
        LOG.info("[{}] {} publishes still nacked by the broker after the retry budget: the client gets the nack "
                + "(a full queue at x-overflow reject-publish, or no queue leader for that long)", id, count);
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
