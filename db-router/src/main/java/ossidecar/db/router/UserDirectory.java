package ossidecar.db.router;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import ossidecar.core.config.DbUser;
import ossidecar.db.protocol.NativePassword;

/**
 * The accounts clients may log in with, each held only as SHA1(SHA1(password)), the value
 * {@code mysql.user} stores: enough to check a client's scramble and, from it, log in to any
 * backend as that user (see {@link FrontendAuth}).
 */
final class UserDirectory {
    private final Map<String, byte[]> doubleSha1ByUser = new HashMap<>();

    UserDirectory(List<DbUser> users) {
        for (DbUser u : users) {
            byte[] hash;
            if (u.passwordHash() != null) {
                hash = NativePassword.decodeHash(u.passwordHash().reveal());
            } else if (u.password().reveal().isEmpty()) {
                hash = new byte[0]; // mysql.user stores an empty password as an empty hash
            } else {
                hash = NativePassword.doubleSha1(u.password().reveal().getBytes(StandardCharsets.UTF_8));
            }
            doubleSha1ByUser.put(u.name(), hash);
        }
    }

    /** SHA1(SHA1(password)) of {@code user}, or null when the user is unknown; empty for an empty password. */
    byte[] doubleSha1(String user) {
        return doubleSha1ByUser.get(user);
    }
}
