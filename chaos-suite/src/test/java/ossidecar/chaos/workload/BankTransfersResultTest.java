package ossidecar.chaos.workload;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BankTransfersResultTest {
    @Test
    void aCleanRunBreaksNothingEvenWithRetriedDeadlocks() {
        assertEquals(List.of(), new BankTransfers.Result(900, 0, 0, 0, 20_000, 20_000, Map.of(1213, 7))
                .brokenInvariants());
    }

    @Test
    void eachBrokenInvariantIsNamed() {
        List<String> broken = new BankTransfers.Result(900, 3, 2, 1, 19_990, 20_000, Map.of(2013, 3))
                .brokenInvariants();
        assertEquals(List.of("2 committed transfers missing from the ledger",
                "1 transfers the client saw fail are in the ledger", "the money changed: 19990 instead of 20000"),
                broken);
    }
}
