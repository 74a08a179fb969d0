package ossidecar.db.router;

import io.netty.buffer.ByteBuf;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * What a statement's answer said, reduced to a SHA-256: the column count, the column
 * definitions and the rows (each packet's length and bytes), or the error code. Not the wire
 * framing, and not the OK or EOF that ends a result: their status flags and warning counts
 * differ between nodes that returned the same rows.
 */
final class ResultDigest {
    private final MessageDigest sha;
    private long bytes;
    private int errorCode;

    ResultDigest() {
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no SHA-256", e);
        }
    }

    /** A column count, column definition or row packet. */
    void data(ByteBuf payload) {
        int n = payload.readableBytes();
        sha.update((byte) (n >>> 24));
        sha.update((byte) (n >>> 16));
        sha.update((byte) (n >>> 8));
        sha.update((byte) n);
        if (payload.hasArray()) {
            sha.update(payload.array(), payload.arrayOffset() + payload.readerIndex(), n);
        } else {
            byte[] copy = new byte[n];
            payload.getBytes(payload.readerIndex(), copy);
            sha.update(copy);
        }
        bytes += n;
    }

    /** The answer ended in ERR {@code code}. */
    void error(int code) {
        errorCode = code;
    }

    /** Result bytes seen so far. */
    long bytes() {
        return bytes;
    }

    /** The digest; the object is spent. */
    Result finish() {
        return new Result(sha.digest(), errorCode, bytes);
    }

    /** A finished digest. */
    record Result(byte[] sha256, int errorCode, long bytes) {
        boolean sameAs(Result other) {
            return errorCode == other.errorCode && Arrays.equals(sha256, other.sha256);
        }
    }
}
