package ossidecar.amqp.proxy;

import java.util.Map;

/**
 * What the client said in connection.start-ok: kept for the life of the client connection so
 * the proxy can log in to another broker node as the same user after a failover. The SASL
 * response holds the password: {@link #toString()} never shows it.
 */
record StartOkParams(Map<String, Object> clientProperties, String mechanism, byte[] response, String locale) {
    @Override
    public String toString() {
        return "StartOkParams[mechanism=" + mechanism + ", response=****, locale=" + locale + "]";
    }
}
