package ossidecar.db.router;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import ossidecar.db.protocol.CommandType;
import ossidecar.db.sql.Classification;
import ossidecar.db.sql.StatementKind;

/**
 * A session's server-side prepared statements, on every backend connection the session uses:
 * the client keeps the statement ids it was given; each backend connection (the writer's, a
 * reader's, the one after a failover) gets the statements prepared under ids of its own, and
 * commands naming a statement are rewritten for the connection they go to.
 *
 * <p>While the session has used one connection only, client ids are that backend's (nothing is
 * rewritten). Once a second connection is involved, new statements get client ids above every
 * one handed out, so an id a backend reuses cannot collide with one the client still holds.
 *
 * <p>COM_STMT_EXECUTE (MariaDB manual, "COM_STMT_EXECUTE"): 0x17, statement id (4), flags (1),
 * iteration count (4), then when the statement has parameters a null bitmap, the
 * new-params-bound flag (1) and, when that flag is 1, two bytes of type per parameter. A client
 * sends the types once; a connection that prepared the statement anew has never seen them, so
 * the types last sent are put back into the first execute there.
 *
 * <p>Connections are keys by identity. Not thread-safe: the session's event loop only.
 */
final class PreparedStatements {
    /** One statement: its SQL, parameter count, what it is, the types last sent, and its id on each connection. */
    private static final class Statement {
        final byte[] sql;
        final int params;
        /** What the statement is (a prepared COMMIT must be treated as one; a prepared SELECT may run on a reader). */
        final Classification classification;
        byte[] types;
        final Map<Object, Integer> ids = new IdentityHashMap<>(2);
        /** Connections that have seen the types. */
        final Map<Object, Boolean> typed = new IdentityHashMap<>(2);

        Statement(byte[] sql, int params, Classification classification) {
            this.sql = sql;
            this.params = params;
            this.classification = classification;
        }
    }

    /** A statement to prepare on a connection that lacks it. */
    record Reprepare(int clientId, byte[] sql) {
    }

    private final Map<Integer, Statement> byClientId = new LinkedHashMap<>();
    /** The first connection a statement was prepared on; client ids are its ids until another appears. */
    private Object first;
    private boolean several;
    private int nextClientId = 1;

    int size() {
        return byClientId.size();
    }

    /**
     * Connection {@code conn} answered a COM_STMT_PREPARE of {@code sql} with {@code backendId};
     * returns the id the client is to see.
     */
    int prepared(byte[] sql, int params, int backendId, Classification classification, Object conn) {
        if (first == null) {
            first = conn;
        } else if (first != conn) {
            several = true;
        }
        int clientId = several ? nextClientId : backendId;
        nextClientId = Math.max(nextClientId, clientId + 1);
        Statement s = new Statement(sql, params, classification);
        s.ids.put(conn, backendId);
        byClientId.put(clientId, s);
        return clientId;
    }

    /** The classification of the statement a COM_STMT_EXECUTE names (null when unknown). */
    Classification classificationOf(ByteBuf executePayload) {
        if (executePayload.readableBytes() < 5) {
            return null;
        }
        Statement s = byClientId.get(executePayload.getIntLE(executePayload.readerIndex() + 1));
        return s == null ? null : s.classification;
    }

    /** The kind of the statement a COM_STMT_EXECUTE names (null when unknown). */
    StatementKind kindOf(ByteBuf executePayload) {
        Classification c = classificationOf(executePayload);
        return c == null ? null : c.kind();
    }

    /** The statements connection {@code conn} does not have yet, to prepare there before it is used. */
    List<Reprepare> missingOn(Object conn) {
        List<Reprepare> out = new ArrayList<>();
        byClientId.forEach((id, s) -> {
            if (!s.ids.containsKey(conn)) {
                out.add(new Reprepare(id, s.sql));
            }
        });
        if (!out.isEmpty() && first != null && first != conn) {
            several = true;
        }
        return out;
    }

    /** Connection {@code conn} prepared the client's statement {@code clientId} as {@code backendId}. */
    void reprepared(int clientId, int backendId, Object conn) {
        Statement s = byClientId.get(clientId);
        if (s != null) {
            s.ids.put(conn, backendId);
            s.typed.remove(conn);
        }
    }

    /** Connection {@code conn} is gone or was reset: what it had prepared is gone with it. */
    void forget(Object conn) {
        for (Statement s : byClientId.values()) {
            s.ids.remove(conn);
            s.typed.remove(conn);
        }
        if (first == conn) {
            first = null;
            several = several || !byClientId.isEmpty();
        }
    }

    /** The id of the client's statement on {@code conn}, or -1 when it has none there. */
    int idOn(int clientId, Object conn) {
        Statement s = byClientId.get(clientId);
        Integer id = s == null ? null : s.ids.get(conn);
        return id == null ? -1 : id;
    }

    /**
     * A client command as connection {@code conn} must see it: the statement id translated, the
     * parameter types put back where the connection lacks them. Returns {@code payload} itself
     * when nothing changes, else a new buffer (and {@code payload} is left to the caller).
     * Forgets a statement on COM_STMT_CLOSE. An unknown id passes unchanged: the backend
     * answers it.
     */
    ByteBuf toBackend(CommandType command, ByteBuf payload, ByteBufAllocator alloc, Object conn) {
        if (!namesStatement(command) || payload.readableBytes() < 5) {
            return payload;
        }
        int at = payload.readerIndex();
        int clientId = payload.getIntLE(at + 1);
        Statement s = command == CommandType.COM_STMT_CLOSE ? byClientId.remove(clientId) : byClientId.get(clientId);
        if (s == null) {
            return payload;
        }
        Integer found = s.ids.get(conn);
        // never prepared there (it failed to prepare again): id 0, which no statement has, so the
        // backend answers "unknown prepared statement" instead of running another one
        int backendId = found == null ? 0 : found;
        ByteBuf out = payload;
        if (command == CommandType.COM_STMT_EXECUTE && s.params > 0) {
            out = withTypes(s, payload, alloc, conn);
        }
        if (backendId != clientId) {
            if (out == payload) {
                out = payload.copy();
            }
            out.setIntLE(out.readerIndex() + 1, backendId);
        }
        return out;
    }

    /**
     * Records the parameter types a client's COM_STMT_EXECUTE carries, whether or not it then
     * reaches a backend: a client sends them once, and an execute the router answered itself (a
     * 1213 for a cut or moved transaction) still counts as sent for the client.
     */
    void noteTypes(ByteBuf executePayload) {
        if (executePayload.readableBytes() < 5) {
            return;
        }
        Statement s = byClientId.get(executePayload.getIntLE(executePayload.readerIndex() + 1));
        if (s == null || s.params == 0) {
            return;
        }
        int flagAt = executePayload.readerIndex() + 1 + 4 + 1 + 4 + (s.params + 7) / 8;
        int typesLength = 2 * s.params;
        if (executePayload.writerIndex() >= flagAt + 1 + typesLength && executePayload.getByte(flagAt) == 1) {
            s.types = new byte[typesLength];
            executePayload.getBytes(flagAt + 1, s.types);
        }
    }

    /** Records the types an execute carries, or puts the recorded ones back when the connection lacks them. */
    private ByteBuf withTypes(Statement s, ByteBuf payload, ByteBufAllocator alloc, Object conn) {
        int at = payload.readerIndex();
        int flagAt = at + 1 + 4 + 1 + 4 + (s.params + 7) / 8;
        if (payload.writerIndex() <= flagAt) {
            return payload;
        }
        int typesLength = 2 * s.params;
        if (payload.getByte(flagAt) == 1) {
            if (payload.writerIndex() >= flagAt + 1 + typesLength) {
                s.types = new byte[typesLength];
                payload.getBytes(flagAt + 1, s.types);
                s.typed.put(conn, Boolean.TRUE);
            }
            return payload;
        }
        if (s.typed.containsKey(conn) || s.types == null) {
            return payload;
        }
        ByteBuf out = alloc.buffer(payload.readableBytes() + typesLength);
        out.writeBytes(payload, at, flagAt - at);
        out.writeByte(1);
        out.writeBytes(s.types);
        out.writeBytes(payload, flagAt + 1, payload.writerIndex() - flagAt - 1);
        s.typed.put(conn, Boolean.TRUE);
        return out;
    }

    /** Commands that name a prepared statement by id. */
    static boolean namesStatement(CommandType command) {
        return switch (command) {
            case COM_STMT_EXECUTE, COM_STMT_CLOSE, COM_STMT_RESET, COM_STMT_SEND_LONG_DATA, COM_STMT_FETCH -> true;
            default -> false;
        };
    }

    /** For tests and logs: client id to its id on {@code conn}. */
    Map<Integer, Integer> mapping(Object conn) {
        Map<Integer, Integer> m = new HashMap<>();
        byClientId.forEach((id, s) -> m.put(id, s.ids.getOrDefault(conn, -1)));
        return m;
    }
}
