package ossidecar.db.router;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import ossidecar.db.protocol.ErrPacket;
import ossidecar.db.protocol.ErrorCodes;

/**
 * Whether a backend's first answer to a command says the node, not the statement, failed: it
 * is not part of the cluster's primary component, so it ran nothing that could commit. 1047
 * ("WSREP has not yet prepared node for application use") refuses a statement; 1180 with
 * "Not connected to Primary Component" refuses a COMMIT whose write-set could not be
 * replicated, and the transaction is rolled back. Either way the session is answered as for
 * a lost node: the statement runs again elsewhere when that is safe, else the transaction
 * gets 1213, which oslo.db retries; a 1180 would reach the service as an error.
 */
final class NodeRefusal {
    static final int ER_ERROR_DURING_COMMIT = 1180;
    private static final byte[] NOT_PRIMARY = "Not connected to Primary Component".getBytes(StandardCharsets.US_ASCII);

    private NodeRefusal() {
    }

    static boolean refusedByNode(ByteBuf payload) {
        if (payload.readableBytes() < 3 || payload.getUnsignedByte(payload.readerIndex()) != ErrPacket.HEADER) {
            return false;
        }
        int code = payload.getUnsignedShortLE(payload.readerIndex() + 1);
        return code == ErrorCodes.ER_UNKNOWN_COM_ERROR.code()
                || code == ER_ERROR_DURING_COMMIT && contains(payload, NOT_PRIMARY);
    }

    /** {@code code} 1047 or 1180 told apart, for the words of the cut. */
    static String describe(ByteBuf payload) {
        return payload.getUnsignedShortLE(payload.readerIndex() + 1) == ER_ERROR_DURING_COMMIT
                ? "was not in the primary component at COMMIT (1180)" : "left the cluster (1047, WSREP not ready)";
    }

    private static boolean contains(ByteBuf payload, byte[] needle) {
        int end = payload.writerIndex() - needle.length;
        outer:
        for (int i = payload.readerIndex() + 3; i <= end; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (payload.getByte(i + j) != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
