package ossidecar.db.sql;

import java.util.Objects;

/**
 * One change a statement makes to session state, which the router records and replays, in
 * order, on any other backend connection the session moves to (the record-and-replay habit of
 * the RabbitMQ client's recovery).
 *
 * <p>Expressions are kept as written and are evaluated again on replay: a literal replays
 * exactly; {@code CONCAT(@@sql_mode, ',X')} replays to the same value when the whole history is
 * replayed in order on a fresh connection; something like {@code NOW()} does not.
 */
public sealed interface SessionChange {

    /** Whether the change outlives the statement in this session, so it must be replayed. */
    boolean persistsInSession();

    /** A statement that makes the same change on another connection. */
    String replaySql();

    /** Who a variable or transaction change applies to. */
    enum Scope {
        /** This session, from now on. */
        SESSION,
        /** New sessions of the whole server: not session state, never replayed. */
        GLOBAL,
        /** {@code SET TRANSACTION ...}: only the next transaction of this session. */
        NEXT_TRANSACTION
    }

    /** {@code USE db}. */
    record UseSchema(String schema) implements SessionChange {
        public UseSchema {
            Objects.requireNonNull(schema, "schema");
        }

        @Override
        public boolean persistsInSession() {
            return true;
        }

        @Override
        public String replaySql() {
            return "USE " + backquote(schema);
        }
    }

    /**
     * {@code SET NAMES charset [COLLATE collation]}; both lower case, {@code "default"} for
     * {@code DEFAULT}.
     *
     * @param collation {@code null} when none was given
     */
    record SetNames(String charset, String collation) implements SessionChange {
        public SetNames {
            Objects.requireNonNull(charset, "charset");
        }

        @Override
        public boolean persistsInSession() {
            return true;
        }

        @Override
        public String replaySql() {
            String names = "SET NAMES " + literalOrDefault(charset);
            return collation == null ? names : names + " COLLATE " + literalOrDefault(collation);
        }
    }

    /** {@code SET CHARACTER SET charset} or {@code SET CHARSET charset}; lower case. */
    record SetCharacterSet(String charset) implements SessionChange {
        public SetCharacterSet {
            Objects.requireNonNull(charset, "charset");
        }

        @Override
        public boolean persistsInSession() {
            return true;
        }

        @Override
        public String replaySql() {
            return "SET CHARACTER SET " + literalOrDefault(charset);
        }
    }

    /**
     * {@code SET [SESSION|GLOBAL] name = expression}, {@code SET @@[session.|global.]name = ...}.
     *
     * @param scope {@link Scope#SESSION} or {@link Scope#GLOBAL}
     * @param name the variable name in lower case, e.g. {@code sql_mode}
     * @param expression the assigned expression as written, e.g. {@code 'TRADITIONAL'}
     */
    record SystemVariable(Scope scope, String name, String expression) implements SessionChange {
        public SystemVariable {
            Objects.requireNonNull(scope, "scope");
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(expression, "expression");
            if (scope == Scope.NEXT_TRANSACTION) {
                throw new IllegalArgumentException("scope: " + scope + " (expected: SESSION or GLOBAL)");
            }
        }

        @Override
        public boolean persistsInSession() {
            return scope == Scope.SESSION;
        }

        @Override
        public String replaySql() {
            return "SET " + scope.name() + " " + name + " = " + expression;
        }
    }

    /**
     * {@code SET @name = expression}.
     *
     * @param name the variable name in lower case (user variable names ignore case)
     * @param expression the assigned expression as written
     */
    record UserVariable(String name, String expression) implements SessionChange {
        public UserVariable {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(expression, "expression");
        }

        @Override
        public boolean persistsInSession() {
            return true;
        }

        @Override
        public String replaySql() {
            return "SET @" + backquote(name) + " = " + expression;
        }
    }

    /**
     * {@code SET [SESSION|GLOBAL] TRANSACTION characteristics}: without a scope keyword it applies
     * to the next transaction only (MariaDB manual, "SET TRANSACTION").
     *
     * @param characteristics as written, e.g. {@code ISOLATION LEVEL READ COMMITTED}
     */
    record TransactionCharacteristics(Scope scope, String characteristics) implements SessionChange {
        public TransactionCharacteristics {
            Objects.requireNonNull(scope, "scope");
            Objects.requireNonNull(characteristics, "characteristics");
        }

        @Override
        public boolean persistsInSession() {
            return scope == Scope.SESSION;
        }

        @Override
        public String replaySql() {
            return switch (scope) {
                case SESSION -> "SET SESSION TRANSACTION " + characteristics;
                case GLOBAL -> "SET GLOBAL TRANSACTION " + characteristics;
                case NEXT_TRANSACTION -> "SET TRANSACTION " + characteristics;
            };
        }
    }

    /** {@code SET ROLE role}; {@code role} as written ({@code NONE} included). */
    record SetRole(String role) implements SessionChange {
        public SetRole {
            Objects.requireNonNull(role, "role");
        }

        @Override
        public boolean persistsInSession() {
            return true;
        }

        @Override
        public String replaySql() {
            return "SET ROLE " + role;
        }
    }

    /**
     * A {@code SET} the classifier could not take apart. It still changed the session somehow,
     * so the router replays the whole statement, or keeps the session on its connection.
     */
    record Unrecognized(String statement) implements SessionChange {
        public Unrecognized {
            Objects.requireNonNull(statement, "statement");
        }

        @Override
        public boolean persistsInSession() {
            return true;
        }

        @Override
        public String replaySql() {
            return statement;
        }
    }

    private static String backquote(String name) {
        return "`" + name.replace("`", "``") + "`";
    }

    private static String literalOrDefault(String value) {
        return value.equals("default") ? "DEFAULT" : "'" + value.replace("\\", "\\\\").replace("'", "''") + "'";
    }
}
