package ossidecar.db.protocol;

/** An ERR packet from a server, as an exception: error code, SQLSTATE and the server's message. */
public class MysqlServerException extends RuntimeException {
    private final int errorCode;
    private final String sqlState;
    private final String serverMessage;

    public MysqlServerException(int errorCode, String sqlState, String serverMessage) {
        super("ERROR " + errorCode + " (" + sqlState + "): " + serverMessage);
        this.errorCode = errorCode;
        this.sqlState = sqlState;
        this.serverMessage = serverMessage;
    }

    public int errorCode() {
        return errorCode;
    }

    public String sqlState() {
        return sqlState;
    }

    /** The message text as the server sent it. */
    public String serverMessage() {
        return serverMessage;
    }
}
