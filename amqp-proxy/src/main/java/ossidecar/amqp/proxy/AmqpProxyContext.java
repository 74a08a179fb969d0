package ossidecar.amqp.proxy;

import ossidecar.core.config.AmqpProxyConfig;
import ossidecar.core.pool.BackendPool;

/**
 * What every client connection of one proxy shares.
 *
 * @param noticedQueues queue names already reported as not surviving their node
 */
record AmqpProxyContext(AmqpProxyConfig config, BackendPool pool, AmqpProxyMetrics metrics,
                        RecentNames noticedQueues) {
}
