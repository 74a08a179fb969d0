package ossidecar.db.router;

/**
 * What a client session has set that a new backend connection must be given again: the
 * schema and the character set (more is tracked as the SQL classifier lands: SET variables,
 * autocommit, sql_mode).
 */
final class SessionState {
    private String schema;
    private int charset;

    SessionState(String schema, int charset) {
        this.schema = schema == null || schema.isEmpty() ? null : schema;
        this.charset = charset;
    }

    String schema() {
        return schema;
    }

    void schema(String s) {
        this.schema = s == null || s.isEmpty() ? null : s;
    }

    int charset() {
        return charset;
    }
}
