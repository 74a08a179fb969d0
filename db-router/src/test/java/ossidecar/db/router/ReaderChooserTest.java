package ossidecar.db.router;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import ossidecar.core.config.BackendNode;
import ossidecar.core.config.Endpoint;

class ReaderChooserTest {
    private static final BackendNode A = node("galera-1");
    private static final BackendNode B = node("galera-2");
    private static final BackendNode C = node("galera-3");

    private static BackendNode node(String name) {
        return new BackendNode(name, new Endpoint("127.0.0.1", 3306));
    }

    @Test
    void theLeastLoadedReaderOtherThanTheWriter() {
        Map<BackendNode, Integer> load = Map.of(A, 0, B, 5, C, 2);
        assertEquals(C, ReaderChooser.choose(List.of(A, B, C), A, false, load::get, 0));
        assertEquals(C, ReaderChooser.choose(List.of(A, B, C), A, false, load::get, 7));
        // the writer serves reads too when configured: it is the least loaded here
        assertEquals(A, ReaderChooser.choose(List.of(A, B, C), A, true, load::get, 0));
    }

    @Test
    void tiesGoRoundInTurnEvenly() {
        Map<BackendNode, Integer> picks = new HashMap<>();
        for (int turn = 0; turn < 6; turn++) {
            picks.merge(ReaderChooser.choose(List.of(A, B, C), A, false, n -> 0, turn), 1, Integer::sum);
        }
        assertEquals(Map.of(B, 3, C, 3), picks, "the writer left out, the two readers alike");
        picks.clear();
        for (int turn = 0; turn < 6; turn++) {
            picks.merge(ReaderChooser.choose(List.of(A, B, C), B, true, n -> 0, turn), 1, Integer::sum);
        }
        assertEquals(Map.of(A, 2, B, 2, C, 2), picks, "the writer serving reads too");
    }

    @Test
    void theWriterServesReadsWhenNoOtherReaderIsLeft() {
        assertEquals(A, ReaderChooser.choose(List.of(A), A, false, n -> 0, 0));
        assertEquals(A, ReaderChooser.choose(List.of(), A, false, n -> 0, 0));
        assertNull(ReaderChooser.choose(List.of(), null, false, n -> 0, 0));
        // no writer, a reader left: reads go on
        assertEquals(B, ReaderChooser.choose(List.of(B), null, false, n -> 0, 0));
    }

    @Test
    void leasesCountPerNode() {
        ReaderChooser chooser = new ReaderChooser(false);
        chooser.bound(B);
        chooser.bound(B);
        chooser.bound(C);
        assertEquals(C, chooser.choose(List.of(A, B, C), A));
        chooser.unbound(B);
        chooser.unbound(B);
        Map<BackendNode, Integer> picks = new HashMap<>();
        for (int i = 0; i < 4; i++) {
            picks.merge(chooser.choose(List.of(A, B, C), A), 1, Integer::sum);
        }
        assertEquals(Map.of(B, 4), picks, "B has 0 leases, C has 1");
    }
}
