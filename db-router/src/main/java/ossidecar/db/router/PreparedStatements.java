package ossidecar.db.router;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import ossidecar.db.protocol.CommandType;

/**
 * A session's server-side prepared statements, so that they survive a move to another backend:
 * the client keeps the statement ids it was given, the new backend gets every statement
 * prepared again under ids of its own, and commands naming a statement are rewritten.
 *
 * <p>Until the first move client ids are the backend's (nothing is rewritten). After it, new
 * statements get client ids above every one handed out, so an id the new backend reuses
 * cannot collide with one the client still holds.
 *
 * <p>COM_STMT_EXECUTE (MariaDB manual, "COM_STMT_EXECUTE"): 0x17, statement id (4), flags (1),
 * iteration count (4), then when the statement has parameters a null bitmap, the
 * new-params-bound flag (1) and, when that flag is 1, two bytes of type per parameter. A client
 * sends the types once; a backend that prepared the statement anew has never seen them, so the
 * types last sent are put back into the first execute on the new backend.
 */
final class PreparedStatements {
    /** One statement: its SQL, parameter count, the types last sent for it, and whether the current backend has them. */
    private static final class Statement {
        final byte[] sql;
        final int params;
        /** What the statement is (a prepared COMMIT must be treated as one), classified once at prepare. */
        final ossidecar.db.sql.StatementKind kind;
        byte[] types;
        boolean backendHasTypes;
        int backendId;

        Statement(byte[] sql, int params, int backendId, ossidecar.db.sql.StatementKind kind) {
            this.sql = sql;
            this.params = params;
            this.backendId = backendId;
            this.kind = kind;
        }
    }

    /** A statement to prepare again on a new backend. */
    record Reprepare(int clientId, byte[] sql) {
    }

    private final Map<Integer, Statement> byClientId = new LinkedHashMap<>();
    private boolean moved;
    private int nextClientId = 1;

    int size() {
        return byClientId.size();
    }

    /**
     * The backend answered a COM_STMT_PREPARE of {@code sql} with {@code backendId}; returns the
     * id the client is to see.
     */
    int prepared(byte[] sql, int params, int backendId) {
        return prepared(sql, params, backendId, null);
    }

    /** As above, remembering what kind of statement it is. */
    int prepared(byte[] sql, int params, int backendId, ossidecar.db.sql.StatementKind kind) {
        int clientId = moved ? nextClientId : backendId;
        nextClientId = Math.max(nextClientId, clientId + 1);
        byClientId.put(clientId, new Statement(sql, params, backendId, kind));
        return clientId;
    }

    /** The kind of the statement a COM_STMT_EXECUTE names (null when unknown). */
    ossidecar.db.sql.StatementKind kindOf(ByteBuf executePayload) {
        if (executePayload.readableBytes() < 5) {
            return null;
        }
        Statement s = byClientId.get(executePayload.getIntLE(executePayload.readerIndex() + 1));
        return s == null ? null : s.kind;
    }

    /** The session is on a new backend: every statement must be prepared again there. */
    List<Reprepare> movedToNewBackend() {
        moved = true;
        List<Reprepare> out = new ArrayList<>(byClientId.size());
        byClientId.forEach((id, s) -> {
            s.backendHasTypes = false;
            s.backendId = -1;
            out.add(new Reprepare(id, s.sql));
        });
        return out;
    }

    /** The new backend prepared the client's statement {@code clientId} as {@code backendId}. */
    void reprepared(int clientId, int backendId) {
        Statement s = byClientId.get(clientId);
        if (s != null) {
            s.backendId = backendId;
        }
    }

    /**
     * A client command as the current backend must see it: the statement id translated, the
     * parameter types put back where the backend lacks them. Returns {@code payload} itself when
     * nothing changes, else a new buffer (and {@code payload} is left to the caller). Forgets a
     * statement on COM_STMT_CLOSE. An unknown id passes unchanged: the backend answers it.
     */
    ByteBuf toBackend(CommandType command, ByteBuf payload, ByteBufAllocator alloc) {
        if (!namesStatement(command) || payload.readableBytes() < 5) {
            return payload;
        }
        int at = payload.readerIndex();
        int clientId = payload.getIntLE(at + 1);
        Statement s = command == CommandType.COM_STMT_CLOSE ? byClientId.remove(clientId) : byClientId.get(clientId);
        if (s == null) {
            return payload;
        }
        ByteBuf out = payload;
        if (command == CommandType.COM_STMT_EXECUTE && s.params > 0) {
            out = withTypes(s, payload, alloc);
        }
        if (s.backendId != clientId) {
            if (out == payload) {
                out = payload.copy();
            }
            out.setIntLE(out.readerIndex() + 1, s.backendId);
        }
        return out;
    }

    /** Records the types an execute carries, or puts the recorded ones back when the backend lacks them. */
    private ByteBuf withTypes(Statement s, ByteBuf payload, ByteBufAllocator alloc) {
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
                s.backendHasTypes = true;
            }
            return payload;
        }
        if (s.backendHasTypes || s.types == null) {
            return payload;
        }
        ByteBuf out = alloc.buffer(payload.readableBytes() + typesLength);
        out.writeBytes(payload, at, flagAt - at);
        out.writeByte(1);
        out.writeBytes(s.types);
        out.writeBytes(payload, flagAt + 1, payload.writerIndex() - flagAt - 1);
        s.backendHasTypes = true;
        return out;
    }

    /** The client-visible id for a backend id in a prepare answer (the same until the first move). */
    static boolean namesStatement(CommandType command) {
        return switch (command) {
            case COM_STMT_EXECUTE, COM_STMT_CLOSE, COM_STMT_RESET, COM_STMT_SEND_LONG_DATA, COM_STMT_FETCH -> true;
            default -> false;
        };
    }

    /** For tests and logs: client id to backend id. */
    Map<Integer, Integer> mapping() {
        Map<Integer, Integer> m = new HashMap<>();
        byClientId.forEach((id, s) -> m.put(id, s.backendId));
        return m;
    }
}
