package ossidecar.chaos.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class AwaitTest {

    @Test
    void returnsOnceConditionHolds() {
        AtomicInteger calls = new AtomicInteger();
        Await.until(Duration.ofSeconds(5), () -> calls.incrementAndGet() >= 3, "third call");
        assertEquals(3, calls.get());
    }

    @Test
    void timesOutNamingTheConditionAndKeepingTheLastFailure() {
        long started = System.nanoTime();
        Await.TimeoutException e = assertThrows(Await.TimeoutException.class,
                () -> Await.until(Duration.ofMillis(300), () -> {
                    throw new IllegalStateException("not yet");
                }, "the impossible"));
        long elapsedMillis = (System.nanoTime() - started) / 1_000_000;
        assertTrue(elapsedMillis >= 300 && elapsedMillis < 3000, "elapsed " + elapsedMillis);
        assertTrue(e.getMessage().contains("the impossible"), e.getMessage());
        assertTrue(e.getCause() instanceof IllegalStateException);
        assertEquals("not yet", e.getCause().getMessage());
    }
}
