package ossidecar.amqp.proxy;

/** Negotiated connection limits (AMQP 0-9-1 §1.4.2.6): heartbeat in seconds, 0 = none. */
record TuneParams(int channelMax, int frameMax, int heartbeatSeconds) {
}
