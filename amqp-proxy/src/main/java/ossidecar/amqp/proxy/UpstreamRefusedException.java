package ossidecar.amqp.proxy;

import ossidecar.amqp.codec.Method;

/** The broker closed the connection during the handshake; the close goes to the client as is. */
final class UpstreamRefusedException extends Exception {
    private final transient Method close;

    UpstreamRefusedException(Method close) {
        super("broker refused the connection: " + close.shortInt("reply-code") + " " + close.str("reply-text"));
        this.close = close;
    }

    Method close() {
        return close;
    }

    int replyCode() {
        return close.shortInt("reply-code");
    }
}
