package ossidecar.db.router;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ReadFenceTest {
    @Test
    void aReaderIsProvenOncePerWriteForEverySession() {
        ReadFence fence = new ReadFence();
        assertFalse(fence.mustWait("galera-2", 0), "no write yet");
        long w1 = fence.writeCommitted();
        assertEquals(1, w1);
        assertTrue(fence.mustWait("galera-2", w1));
        // a checked read started after w1 proves galera-2 for w1, not for a later write
        fence.proven("galera-2", fence.lastWrite());
        assertFalse(fence.mustWait("galera-2", w1));
        assertTrue(fence.mustWait("galera-3", w1), "another reader is not proven");
        long w2 = fence.writeCommitted();
        assertTrue(fence.mustWait("galera-2", w2));
        // a checked read that started before w2 (and ended after) proves nothing about w2
        fence.proven("galera-2", w1);
        assertTrue(fence.mustWait("galera-2", w2));
        fence.proven("galera-2", w2);
        assertFalse(fence.mustWait("galera-2", w2));
    }
}
