package ossidecar.db.router;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ReturningScanTest {
    private static boolean has(String sql) {
        return ClientSession.containsIgnoringCase(Unpooled.wrappedBuffer(sql.getBytes(StandardCharsets.UTF_8)),
                "RETURNING".getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void findsTheWordInAnyCase() {
        assertTrue(has("INSERT INTO t VALUES (1) RETURNING id"));
        assertTrue(has("insert into t values (1) returning id"));
        assertTrue(has("DELETE FROM t WHERE a = 1 ReTuRnInG *"));
    }

    @Test
    void plainWritesAndNearMissesAreNot() {
        assertFalse(has("INSERT INTO t VALUES (1)"));
        assertFalse(has("UPDATE t SET returnin = 1"));
        assertFalse(has("RETURNIN"));
        assertFalse(has(""));
    }
}
