package ossidecar.db.router;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import ossidecar.db.sql.SessionChange;

/**
 * What a client session has set that another backend connection must be given again: the
 * schema, the character set, session variables (autocommit and sql_mode among them), user
 * variables and transaction characteristics. Each setting keeps only its latest value, in the
 * order it was last set, so replay reproduces the session in as few statements as possible.
 */
final class SessionState {
    private String schema;
    private final int charset;
    /**
     * Distinct settings kept for replay. A session that makes more (each unrecognised SET is kept
     * under its own text) can no longer be replayed faithfully: it stops growing and says so.
     */
    static final int MAX_SETTINGS = 256;

    private final Map<String, SessionChange> settings = new LinkedHashMap<>();
    private boolean overflowed;
    /** {@link #key()} as last built: a session gives its connection back after every transaction. */
    private String key;

    SessionState(String schema, int charset) {
        this.schema = blankToNull(schema);
        this.charset = charset;
    }

    String schema() {
        return schema;
    }

    void schema(String s) {
        this.schema = blankToNull(s);
    }

    /** The collation id the client logged in with. */
    int charset() {
        return charset;
    }

    /** Records changes a statement made, once the server answered it with OK. */
    void apply(List<SessionChange> changes) {
        for (SessionChange c : changes) {
            if (c instanceof SessionChange.UseSchema use) {
                schema(use.schema());
            } else if (c.persistsInSession()) {
                String key = key(c);
                this.key = null;
                if (settings.remove(key) == null && settings.size() >= MAX_SETTINGS) {
                    overflowed = true;
                    continue;
                }
                settings.put(key, c);
            }
        }
    }

    /** Whether {@link #replaySql()} gives another connection all of this session's state. */
    boolean replayable() {
        return !overflowed;
    }

    /** The statements that give a fresh backend connection this session's state (the schema goes by COM_INIT_DB). */
    List<String> replaySql() {
        List<String> out = new ArrayList<>();
        settings.values().forEach(c -> out.add(c.replaySql()));
        return out;
    }

    /**
     * What the settings are, as one string: two sessions with equal keys can share a backend
     * connection without replaying anything. Same order as {@link #replaySql()}: the same
     * settings made in another order give another key (and a replay), never a wrong match.
     */
    String key() {
        if (key == null) {
            key = String.join("\n", replaySql()); // built once per change of settings, not per transaction
        }
        return key;
    }

    /** The session's autocommit as last set, or null when never set (the server default, on). */
    Boolean autocommit() {
        SessionChange c = settings.get("var:autocommit");
        if (c instanceof SessionChange.SystemVariable v) {
            String e = v.expression().trim().toLowerCase(Locale.ROOT);
            return !(e.equals("0") || e.equals("off") || e.equals("false"));
        }
        return null;
    }

    private static String key(SessionChange c) {
        if (c instanceof SessionChange.SystemVariable v) {
            return "var:" + v.name().toLowerCase(Locale.ROOT);
        }
        if (c instanceof SessionChange.UserVariable u) {
            return "user:" + u.name().toLowerCase(Locale.ROOT);
        }
        if (c instanceof SessionChange.SetNames || c instanceof SessionChange.SetCharacterSet) {
            return "charset"; // SET NAMES and SET CHARACTER SET set the same client/result charsets
        }
        return c.getClass().getSimpleName() + ":" + c.replaySql();
    }

    private static String blankToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
