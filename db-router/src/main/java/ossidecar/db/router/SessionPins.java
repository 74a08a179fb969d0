package ossidecar.db.router;

import java.util.EnumSet;
import java.util.Set;
import ossidecar.db.sql.Classification;
import ossidecar.db.sql.SessionChange;

/**
 * What binds a session to its backend connection, so that it must not give it back between
 * transactions: state the server keeps per connection and the router cannot give another
 * connection. Once pinned, a session stays pinned until COM_RESET_CONNECTION or a change of
 * user (dropping a temporary table or releasing a lock does not count: the router would have
 * to track every one of them to know none is left).
 */
final class SessionPins {
    enum Pin {
        /** CREATE TEMPORARY TABLE: the table lives in this connection. */
        TEMPORARY_TABLE,
        /** LOCK TABLES, SQL-level PREPARE/EXECUTE, HANDLER: state held by the connection. */
        CONNECTION_STATE,
        /** GET_LOCK and friends: named locks belong to the connection. */
        NAMED_LOCK,
        /** A user variable set (SET @x, SELECT @x := ..., SELECT ... INTO @x): its value lives in the connection. */
        USER_VARIABLE,
        /** A text the router could not read (several statements, malformed, unknown): assume the worst. */
        UNKNOWN
    }

    private final Set<Pin> pins = EnumSet.noneOf(Pin.class);

    /** Records what a COM_QUERY text may leave on the connection. */
    void note(Classification c) {
        if (!c.createdTemporaryTables().isEmpty()) {
            pins.add(Pin.TEMPORARY_TABLE);
        }
        if (c.sessionChanges().stream().anyMatch(ch -> ch instanceof SessionChange.UserVariable)) {
            pins.add(Pin.USER_VARIABLE); // SET @x = expr: replayed elsewhere, expr could give another value
        }
        switch (c.reason()) {
            case TEMPORARY_TABLE -> pins.add(Pin.TEMPORARY_TABLE);
            case CONNECTION_STATE -> pins.add(Pin.CONNECTION_STATE);
            case LOCKING_FUNCTION -> pins.add(Pin.NAMED_LOCK);
            case USER_VARIABLE, SELECT_INTO -> pins.add(Pin.USER_VARIABLE);
            case MULTI_STATEMENT, MALFORMED, UNRECOGNIZED -> pins.add(Pin.UNKNOWN);
            default -> {
            }
        }
    }

    boolean pinned() {
        return !pins.isEmpty();
    }

    Set<Pin> pins() {
        return pins.isEmpty() ? EnumSet.noneOf(Pin.class) : EnumSet.copyOf(pins);
    }

    /** COM_RESET_CONNECTION or a change of user dropped everything. */
    void clear() {
        pins.clear();
    }
}
