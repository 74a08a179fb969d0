package ossidecar.amqp.recovery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import ossidecar.amqp.recovery.DeliveryTagMapper.Translation;

class DeliveryTagMapperTest {
    private final DeliveryTagMapper m = new DeliveryTagMapper();

    @Test
    void theFirstGenerationPassesTagsThrough() {
        assertEquals(1, m.toClient(1));
        assertEquals(2, m.toClient(2));
        assertEquals(new Translation(true, 2, false, false), m.fromClient(2, false));
    }

    @Test
    void clientTagsStayMonotonicAcrossGenerations() {
        m.toClient(1);
        m.toClient(2);
        m.toClient(3);
        m.newGeneration();
        assertEquals(4, m.toClient(1), "the new broker's tag 1 is the client's 4");
        assertEquals(5, m.toClient(2));
        m.newGeneration();
        assertEquals(6, m.toClient(1));
        assertEquals(2, m.generation());
    }

    @Test
    void acksForADeadGenerationAreAbsorbed() {
        m.toClient(1);
        m.toClient(2);
        m.newGeneration();
        m.toClient(1);
        assertEquals(Translation.ABSORBED, m.fromClient(2, false));
        assertEquals(Translation.ABSORBED, m.fromClient(1, true));
        assertEquals(new Translation(true, 1, false, false), m.fromClient(3, false));
    }

    @Test
    void aMultipleAckSpanningGenerationsIsSplit() {
        for (int i = 1; i <= 5; i++) {
            m.toClient(i);
        }
        m.newGeneration();
        for (int i = 1; i <= 3; i++) {
            m.toClient(i);
        }
        Translation t = m.fromClient(7, true);
        assertTrue(t.forward());
        assertEquals(2, t.upstreamTag(), "client 6..7 are upstream 1..2 of the live generation");
        assertTrue(t.multiple());
        assertTrue(t.absorbedSome(), "client 1..5 belonged to the dead generation");
    }

    @Test
    void multipleWithTagZeroMeansEverythingOutstanding() {
        m.toClient(1);
        assertEquals(new Translation(true, 0, true, false), m.fromClient(0, true));
        m.toClient(2);
        m.newGeneration();
        m.toClient(1);
        Translation t = m.fromClient(0, true);
        assertEquals(0, t.upstreamTag());
        assertTrue(t.absorbedSome(), "client 2 was outstanding when its broker died");
    }

    @Test
    void anUnknownTagIsForwardedSoTheBrokerRefusesIt() {
        m.toClient(1);
        Translation t = m.fromClient(99, false);
        assertTrue(t.forward());
        assertEquals(99, t.upstreamTag());
        assertFalse(t.absorbedSome());
        assertThrows(IllegalArgumentException.class, () -> m.toClient(0));
    }

    @Test
    void onlyTheFirstMultipleAckAfterAFailoverSettlesDeadTags() {
        m.toClient(1);
        m.toClient(2);
        m.newGeneration();
        m.toClient(1); // client 3
        m.toClient(2); // client 4
        assertTrue(m.fromClient(3, true).absorbedSome(), "1..2 were unacked when their broker died");
        assertFalse(m.fromClient(4, true).absorbedSome(), "nothing dead is left to settle");
    }

    @Test
    void aFailoverAfterEverythingWasAckedLeavesNothingToAbsorb() {
        m.toClient(1);
        m.toClient(2);
        m.fromClient(2, true);
        m.newGeneration();
        m.toClient(1); // client 3
        assertFalse(m.fromClient(3, true).absorbedSome());
    }
}
