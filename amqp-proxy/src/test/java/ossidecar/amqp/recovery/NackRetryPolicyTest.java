package ossidecar.amqp.recovery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class NackRetryPolicyTest {
    @Test
    void retriesWithinTheBudgetOnly() {
        NackRetryPolicy p = new NackRetryPolicy(Duration.ofSeconds(15));
        assertTrue(p.retry(0));
        assertTrue(p.retry(Duration.ofMillis(14_999).toNanos()));
        assertFalse(p.retry(Duration.ofSeconds(15).toNanos()));
    }

    @Test
    void offNeverRetries() {
        assertFalse(NackRetryPolicy.OFF.retry(0));
    }

    @Test
    void theBudgetNeverPassesTheOutageLimit() {
        assertEquals(Duration.ofSeconds(5), NackRetryPolicy.within(Duration.ofSeconds(15), Duration.ofSeconds(5)).budget());
        assertEquals(Duration.ofSeconds(15), NackRetryPolicy.within(Duration.ofSeconds(15), Duration.ofSeconds(60)).budget());
    }

    @Test
    void delaysGrowFromAbout50MsAndStayNearOneSecond() {
        NackRetryPolicy p = new NackRetryPolicy(Duration.ofSeconds(15));
        for (int i = 0; i < 200; i++) {
            long first = p.delay(1).toMillis();
            assertTrue(first >= 25 && first <= 75, "first retry " + first + " ms (expected: 50 ms +-50%)");
            long late = p.delay(30).toMillis();
            assertTrue(late >= 500 && late <= 1500, "late retry " + late + " ms (expected: about 1 s)");
        }
    }

    @Test
    void aNegativeBudgetIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new NackRetryPolicy(Duration.ofSeconds(-1)));
    }
}
