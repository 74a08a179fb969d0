package ossidecar.db.router;

import io.netty.channel.Channel;
import ossidecar.core.config.BackendNode;

/**
 * A logged-in connection to one Galera node, owned by at most one client session at a time.
 * Its capabilities are the ones the session's client negotiated, so packets relay unchanged.
 */
final class BackendConnection {
    private final Channel channel;
    private final BackendNode node;
    private final long capabilities;
    private final String user;
    private final int charset;
    private int statusFlags;
    /** The default schema the connection is in, as the session that last used it left it. */
    private String schema;
    /** The session settings applied on it ({@link SessionState#key()}); empty after a login or a reset. */
    private String stateKey = "";

    BackendConnection(Channel channel, BackendNode node, long capabilities, String user,
                      int charset, int statusFlags, String schema) {
        this.channel = channel;
        this.schema = schema;
        this.node = node;
        this.capabilities = capabilities;
        this.user = user;
        this.charset = charset;
        this.statusFlags = statusFlags;
    }

    Channel channel() {
        return channel;
    }

    BackendNode node() {
        return node;
    }

    long capabilities() {
        return capabilities;
    }

    /** The pool key: a pooled connection serves only a session with the same login and flags. */
    PoolKey key() {
        return new PoolKey(node, user, capabilities, charset);
    }

    int statusFlags() {
        return statusFlags;
    }

    void statusFlags(int flags) {
        this.statusFlags = flags;
    }

    String schema() {
        return schema;
    }

    String stateKey() {
        return stateKey;
    }

    /** What a session left on the connection: its schema and its settings' key. */
    void holds(String schema, String stateKey) {
        this.schema = schema;
        this.stateKey = stateKey;
    }

    boolean isOpen() {
        return channel.isActive();
    }

    record PoolKey(BackendNode node, String user, long capabilities, int charset) {
    }

    @Override
    public String toString() {
        return node.name() + "/" + channel.id().asShortText();
    }
}
