package ossidecar.amqp.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class MethodSetsTest {

    @Test
    void basicGetHasTwoPossibleReplies() {
        assertEquals(List.of(MethodType.BASIC_GET_OK, MethodType.BASIC_GET_EMPTY), MethodSets.responsesTo(MethodType.BASIC_GET));
        assertEquals(MethodType.BASIC_GET, MethodSets.requestOf(MethodType.BASIC_GET_EMPTY));
    }

    @Test
    void asynchronousMethodsHaveNoReplies() {
        for (MethodType t : List.of(MethodType.BASIC_PUBLISH, MethodType.BASIC_ACK, MethodType.BASIC_NACK,
                MethodType.BASIC_REJECT, MethodType.BASIC_DELIVER, MethodType.BASIC_RECOVER_ASYNC,
                MethodType.CONNECTION_BLOCKED, MethodType.CONNECTION_UNBLOCKED, MethodType.BASIC_RETURN)) {
            assertFalse(MethodSets.isSynchronous(t), t.toString());
            assertEquals(List.of(), MethodSets.responsesTo(t));
        }
    }

    @ParameterizedTest
    @EnumSource(MethodType.class)
    void everyOkMethodAnswersTheRequestOfTheSameName(MethodType type) {
        String name = type.specName();
        if (name.endsWith("-ok")) {
            MethodType request = MethodSets.requestOf(type);
            assertEquals(name.substring(0, name.length() - 3), request.specName());
            assertTrue(MethodSets.isResponse(type));
            assertTrue(MethodSets.responsesTo(request).contains(type));
        } else if (type != MethodType.BASIC_GET_EMPTY) {
            assertFalse(MethodSets.isResponse(type));
            assertNull(MethodSets.requestOf(type));
        }
    }

    @Test
    void nowaitMeansNoReply() {
        assertTrue(MethodSets.expectsResponse(Method.of(MethodType.QUEUE_DECLARE, "queue", "q")));
        assertFalse(MethodSets.expectsResponse(Method.of(MethodType.QUEUE_DECLARE, "queue", "q", "nowait", true)));
        assertFalse(MethodSets.expectsResponse(Method.of(MethodType.CONFIRM_SELECT, "nowait", true)));
        assertTrue(MethodSets.expectsResponse(Method.of(MethodType.QUEUE_UNBIND)), "queue.unbind has no nowait");
        assertFalse(MethodSets.expectsResponse(Method.of(MethodType.BASIC_PUBLISH)));
    }
}
