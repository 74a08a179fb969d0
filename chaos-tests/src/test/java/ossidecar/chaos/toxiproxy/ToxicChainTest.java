package ossidecar.chaos.toxiproxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ToxicChainTest {

    private static Toxic toxic(String name, Direction d) {
        return Toxic.of(name, ToxicType.LATENCY, d, 1f, Map.of("latency", 10L));
    }

    @Test
    void listsUpstreamFirstThenDownstreamInInsertionOrder() throws Exception {
        ToxicChain c = new ToxicChain();
        c.add(toxic("d1", Direction.DOWNSTREAM));
        c.add(toxic("u1", Direction.UPSTREAM));
        c.add(toxic("d2", Direction.DOWNSTREAM));
        c.add(toxic("u2", Direction.UPSTREAM));
        assertEquals(List.of("u1", "u2", "d1", "d2"), c.list().stream().map(Toxic::name).toList());
    }

    @Test
    void namesAreUniqueAcrossBothStreams() throws Exception {
        ToxicChain c = new ToxicChain();
        c.add(toxic("x", Direction.DOWNSTREAM));
        ApiException e = assertThrows(ApiException.class, () -> c.add(toxic("x", Direction.UPSTREAM)));
        assertEquals(409, e.status());
        assertEquals("toxic already exists", e.getMessage());
        ApiException missing = assertThrows(ApiException.class, () -> c.remove("y"));
        assertEquals(404, missing.status());
        assertEquals("toxic not found", missing.getMessage());
    }

    @Test
    void registeredListenersSeeEachLaterChangeOnceAndStartFromASnapshot() throws Exception {
        ToxicChain c = new ToxicChain();
        c.add(toxic("before", Direction.DOWNSTREAM));
        List<String> events = new ArrayList<>();
        ToxicChain.Listener l = new ToxicChain.Listener() {
            @Override
            public void toxicAdded(Toxic t) {
                events.add("add " + t.name());
            }

            @Override
            public void toxicUpdated(Toxic t) {
                events.add("update " + t.name() + " " + t.attribute("latency"));
            }

            @Override
            public void toxicRemoved(Toxic t) {
                events.add("remove " + t.name());
            }
        };
        assertEquals(List.of("before"), c.register(l).stream().map(Toxic::name).toList());
        c.add(toxic("after", Direction.UPSTREAM));
        c.update(Toxic.of("after", ToxicType.LATENCY, Direction.UPSTREAM, 1f, Map.of("latency", 99L)));
        c.clear();
        c.unregister(l);
        c.add(toxic("unseen", Direction.UPSTREAM));
        assertEquals(List.of("add after", "update after 99", "remove after", "remove before"), events);
        assertEquals(0, c.listenerCount());
    }
}
