package ossidecar.chaos.workload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class NumberedMessagesResultTest {
    /** published, confirmed, nacked, unanswered, received, duplicates, lost, connection losses */
    private static NumberedMessagesResult result(int nacked, int unanswered, long lost, int connectionLosses) {
        return new NumberedMessagesResult(1000, 1000 - nacked - unanswered, nacked, unanswered, 1000, 3, lost,
                connectionLosses);
    }

    @Test
    void aCleanRunHoldsEvenWithDuplicates() {
        NumberedMessagesResult r = result(0, 0, 0, 0);
        assertEquals(List.of(), r.brokenInvariants());
        assertTrue(r.invariantsHeld(), "duplicates are allowed: delivery is at-least-once");
    }

    @Test
    void aSingleNackBreaksTheInvariantsThoughNothingConfirmedWasLost() {
        NumberedMessagesResult r = result(1, 0, 0, 0);
        assertFalse(r.invariantsHeld());
        assertEquals(List.of("1 publishes nacked"), r.brokenInvariants());
    }

    @Test
    void aPublishNeverAnsweredBreaksTheInvariants() {
        NumberedMessagesResult r = result(0, 2, 0, 0);
        assertFalse(r.invariantsHeld());
        assertEquals(List.of("2 publishes never answered"), r.brokenInvariants());
    }

    @Test
    void lostMessagesAndConnectionLossesBreakTheInvariantsAsBefore() {
        assertEquals(List.of("4 confirmed messages lost"), result(0, 0, 4, 0).brokenInvariants());
        assertEquals(List.of("1 connection losses seen by the client"), result(0, 0, 0, 1).brokenInvariants());
    }

    @Test
    void everyBrokenInvariantIsNamed() {
        assertEquals(List.of("5 confirmed messages lost", "1 publishes nacked", "2 publishes never answered",
                "3 connection losses seen by the client"), result(1, 2, 5, 3).brokenInvariants());
    }

    @Test
    void anUnfinishedRunFailsWhateverItCounted() {
        NumberedMessagesResult r = result(0, 0, 0, 0).unfinished();
        assertEquals(-1, r.lost());
        assertEquals(List.of("the run did not finish, so confirmed messages could not be checked"),
                r.brokenInvariants());
    }
}
