package ossidecar.amqp.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RecentNamesTest {
    @Test
    void aNameIsNewOnlyTheFirstTime() {
        RecentNames names = new RecentNames(10);
        assertTrue(names.firstSighting("compute"));
        assertFalse(names.firstSighting("compute"));
        assertFalse(names.firstSighting("compute"));
        assertTrue(names.firstSighting("scheduler"));
    }

    @Test
    void randomNamesCannotGrowItPastItsBound() {
        RecentNames names = new RecentNames(100);
        for (int i = 0; i < 10_000; i++) {
            assertTrue(names.firstSighting("random-" + i));
        }
        assertEquals(100, names.size());
    }

    @Test
    void theNameSeenLeastRecentlyIsForgottenFirst() {
        RecentNames names = new RecentNames(2);
        names.firstSighting("a");
        names.firstSighting("b");
        assertFalse(names.firstSighting("a"), "seen again: now the most recent");
        assertTrue(names.firstSighting("c"), "pushes out b, the least recent");
        assertFalse(names.firstSighting("a"), "a stayed remembered");
        assertTrue(names.firstSighting("b"), "b was forgotten, so it is new again");
    }

    @Test
    void theDefaultBoundIsTenThousand() {
        RecentNames names = new RecentNames(RecentNames.DEFAULT_CAPACITY);
        for (int i = 0; i < 20_000; i++) {
            names.firstSighting("reply_" + i);
        }
        assertEquals(10_000, names.size());
        assertThrows(IllegalArgumentException.class, () -> new RecentNames(0));
    }
}
