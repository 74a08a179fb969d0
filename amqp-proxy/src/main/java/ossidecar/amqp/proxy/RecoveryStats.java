package ossidecar.amqp.proxy;

/**
 * The proxy's failover counters since it started, read from its own meters: what the demo,
 * the chaos command and the tests report, so none of them looks meters up by name.
 */
public record RecoveryStats(long recovered, long gaveUp, int holding, long longestMillis, long meanMillis,
                            long replayed, long republished, long acksAbsorbed, long heartbeatDeaths,
                            long nacksRetried, long nacksPassedOn, long brokerErrorsRecovered) {

    /** Recoveries begun: finished either way, or still holding a client. */
    public long started() {
        return recovered + gaveUp + holding;
    }

    @Override
    public String toString() {
        return String.format("%d client connections recovered (%d given up, %d held now), recovery longest %d ms, "
                        + "mean %d ms; %d entities replayed, %d publishes re-sent, %d acks of lost deliveries absorbed, "
                        + "%d heartbeat deaths; broker nacks %d retried, %d passed on to clients; %d broker internal errors "
                        + "recovered", recovered, gaveUp,
                holding, longestMillis, meanMillis, replayed, republished, acksAbsorbed, heartbeatDeaths, nacksRetried,
                nacksPassedOn, brokerErrorsRecovered);
    }
}
