package ossidecar.amqp.recovery;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import ossidecar.amqp.recovery.PublishConfirmMapper.ClientConfirm;

class PublishConfirmMapperTest {
    private final PublishConfirmMapper<String> m = new PublishConfirmMapper<>();
    private final List<String> settled = new ArrayList<>();

    @BeforeEach
    void clientAskedForConfirms() {
        m.enableClientConfirms();
    }

    @Test
    void singleAndMultipleAcksMapOneToOne() {
        assertEquals(1, m.published("a"));
        assertEquals(2, m.published("b"));
        assertEquals(3, m.published("c"));
        assertEquals(List.of(new ClientConfirm(1, false, true)), m.confirmed(1, false, true, settled::add));
        assertEquals(List.of(new ClientConfirm(3, true, true)), m.confirmed(3, true, true, settled::add));
        assertEquals(0, m.outstanding());
        assertEquals(List.of(), m.confirmed(3, true, true, settled::add), "a repeated confirm settles nothing twice");
    }

    @Test
    void afterAFailoverUnconfirmedPublishesAreResentInOrderAndRenumberedUpstreamOnly() {
        m.published("a");
        m.published("b");
        m.published("c");
        m.confirmed(1, false, true, settled::add);
        assertEquals(List.of("b", "c"), m.newGeneration(), "b and c were never confirmed");
        assertEquals(4, m.published("d"), "the client's numbering goes on");
        // upstream of the new generation: b=1, c=2, d=3
        assertEquals(List.of(new ClientConfirm(3, true, true)), m.confirmed(2, true, true, settled::add),
                "client 2..3 confirmed by the new broker's 1..2");
        assertEquals(List.of(new ClientConfirm(4, false, false)), m.confirmed(3, false, false, settled::add), "a nack maps too");
        assertEquals(0, m.outstanding());
    }

    @Test
    void aMultipleConfirmMaySpanNumbersTheClientAlreadyHasConfirmed() {
        m.published("a"); // client 1
        m.published("b"); // client 2
        m.published("c"); // client 3
        m.newGeneration(); // re-sent: a=1, b=2, c=3 upstream
        assertEquals(List.of(new ClientConfirm(2, false, true)), m.confirmed(2, false, true, settled::add), "b alone");
        // a and c settle together; nothing below 3 is pending any more, so one multiple confirm
        // is exact: the client no longer holds 2 as outstanding, as with RabbitMQ's own confirms
        assertEquals(List.of(new ClientConfirm(3, true, true)), m.confirmed(3, true, true, settled::add));
        assertEquals(0, m.outstanding());
    }

    @Test
    void aMultipleConfirmNeverCoversAStillPendingLowerNumber() {
        m.published("a"); // 1
        m.published("b"); // 2
        m.published("c"); // 3
        // the broker confirms 2 and 3 individually; 1 is still pending
        List<ClientConfirm> out = m.confirmed(3, false, true, settled::add);
        assertEquals(List.of(new ClientConfirm(3, false, true)), out);
        out = m.confirmed(2, false, true, settled::add);
        assertEquals(List.of(new ClientConfirm(2, false, true)), out);
        assertEquals(1, m.outstanding());
    }

    @Test
    void settledPublishesAreHandedBackForRelease() {
        m.published("a");
        m.published("b");
        m.confirmed(2, true, true, settled::add);
        assertEquals(List.of("a", "b"), settled);
    }

    @Test
    void withoutClientConfirmsPublishesAreKeptButTheClientGetsNoConfirms() {
        PublishConfirmMapper<String> quiet = new PublishConfirmMapper<>();
        assertEquals(0, quiet.published("a"));
        assertEquals(0, quiet.published("b"));
        assertEquals(List.of(), quiet.confirmed(1, false, true, settled::add));
        assertEquals(List.of("a"), settled);
        assertEquals(List.of("b"), quiet.newGeneration(), "unconfirmed ones are still re-published");
        quiet.enableClientConfirms();
        assertEquals(1, quiet.published("c"), "the client counts from its own confirm.select");
        assertEquals(List.of(new ClientConfirm(1, false, true)), quiet.confirmed(2, true, true, settled::add),
                "b settles silently, c is the client's 1");
        assertEquals(List.of("a", "b", "c"), settled);
    }

    @Test
    void discardHandsBackEverythingKept() {
        m.published("a");
        m.published("b");
        assertEquals(List.of("a", "b"), m.discard());
        assertEquals(0, m.outstanding());
    }
}
