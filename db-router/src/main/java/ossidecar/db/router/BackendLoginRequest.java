package ossidecar.db.router;

import java.util.Map;

/**
 * Who a backend connection logs in as: the client's user, proven by the client's own
 * scramble, with the client's capabilities and character set so packets relay unchanged.
 * {@code stage1} (SHA1 of the password) never appears in {@link #toString()}.
 */
record BackendLoginRequest(String user, byte[] stage1, String database, int charset, long capabilities,
                           Map<String, String> connectAttributes) {
    @Override
    public String toString() {
        return "BackendLoginRequest[user=" + user + ", stage1=****, database=" + database + ", charset=" + charset + "]";
    }
}
