package ossidecar.amqp.proxy;

/** The broker connection broke the handshake's rules or ended during it. */
final class UpstreamProtocolException extends Exception {
    UpstreamProtocolException(String message) {
        super(message);
    }
}
