package ossidecar.db.sql;

import java.util.Objects;

/**
 * A table named in a statement, unquoted, in the case written. Whether {@code T} and {@code t}
 * are the same table depends on the server's {@code lower_case_table_names}, so comparing is
 * left to the caller.
 *
 * @param schema the qualifying database, or {@code null} when the name is unqualified
 * @param name the table name
 */
public record TableName(String schema, String name) {
    public TableName {
        Objects.requireNonNull(name, "name");
    }

    /** An unqualified name. */
    public static TableName of(String name) {
        return new TableName(null, name);
    }

    /** {@code schema.name}, or {@code name} when unqualified. */
    @Override
    public String toString() {
        return schema == null ? name : schema + "." + name;
    }
}
