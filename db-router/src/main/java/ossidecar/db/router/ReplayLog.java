package ossidecar.db.router;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The statements a transaction ran on a reader, each with the digest of its answer, so that at
 * its first write the router can run them again on the writer and check the answers are the
 * same: then the transaction read what it would have read on the writer, and may go on there.
 * Bounded by {@code max-replay-statements} and {@code max-replay-kib} of results.
 */
final class ReplayLog {
    /** One statement: its COM_QUERY payload (command byte and text) and what it answered. */
    record Entry(byte[] payload, ResultDigest.Result result) {
        String sql() {
            return new String(payload, 1, payload.length - 1, StandardCharsets.UTF_8);
        }
    }

    private final List<Entry> entries = new ArrayList<>();
    private final boolean explicitBegin;
    private long resultBytes;

    /** @param explicitBegin the transaction was opened by a BEGIN or START TRANSACTION it holds as its first entry */
    ReplayLog(boolean explicitBegin) {
        this.explicitBegin = explicitBegin;
    }

    void add(byte[] payload, ResultDigest.Result result) {
        entries.add(new Entry(payload, result));
        resultBytes += result.bytes();
    }

    List<Entry> entries() {
        return entries;
    }

    boolean explicitBegin() {
        return explicitBegin;
    }

    int statements() {
        return entries.size();
    }

    long resultBytes() {
        return resultBytes;
    }

    /** Whether one more statement may run on the reader. */
    boolean hasRoom(int maxStatements, long maxResultBytes) {
        return entries.size() < maxStatements && resultBytes < maxResultBytes;
    }
}
