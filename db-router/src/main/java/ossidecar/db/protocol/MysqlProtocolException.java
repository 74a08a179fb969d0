package ossidecar.db.protocol;

/**
 * A packet that does not follow the protocol: truncated fields, impossible lengths, a packet
 * where the conversation does not allow one. The connection that sent it cannot be trusted
 * to stay in sync and should be closed.
 */
public class MysqlProtocolException extends RuntimeException {
    public MysqlProtocolException(String message) {
        super(message);
    }
}
